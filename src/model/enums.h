// File: model/enums.h
//
// The closed vocabularies of a response and a unit, and their external names. The names
// returned by ToName() are the exact strings used in CSV files, JSON and `--where` filters;
// Parse*() accepts exactly those strings (case-sensitive) and nothing else, so that what a
// user imports is what a report shows.
//
// Enumerators are small integers on purpose: the analytics engine stores them in one byte.
// Never reorder or renumber them; append new values at the end (before kCount).
//
// Thread-safe (pure functions over constant tables).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mittari {

enum class UnitKind : uint8_t { kOrganisation, kArea, kCentre, kUnit, kCount };
enum class SurveyKind : uint8_t { kPatient, kEmployee, kCount };
enum class Channel : uint8_t { kSms, kWeb, kPaper, kKiosk, kCount };
enum class Language : uint8_t { kFi, kSv, kEn, kOther, kCount };
enum class VisitType : uint8_t { kOutpatient, kInpatient, kEmergency, kRemote, kOther, kCount };
enum class AgeGroup : uint8_t {
  k0To17, k18To29, k30To44, k45To64, k65To74, k75Plus, kUnknown, kCount
};

// What a comment is about (several may apply; stored as a bit set, bit = enumerator value) and
// how it feels. The taxonomy is fixed; analysts extend the words behind it (data/lexicon/).
enum class Theme : uint8_t {
  kFacilities, kStaffAttitude, kProfessionalSkill, kCare, kInformation, kDigital, kWaiting, kCount
};
enum class Sentiment : uint8_t { kPositive, kNegative, kNeutral, kMixed, kCount };
using ThemeSet = uint8_t;
inline constexpr bool HasTheme(ThemeSet set, Theme theme) { return (set >> static_cast<int>(theme)) & 1; }
inline constexpr ThemeSet WithTheme(ThemeSet set, Theme theme) {
  return static_cast<ThemeSet>(set | (1u << static_cast<int>(theme)));
}

// The external names, indexed by enumerator value.
inline constexpr std::array<std::string_view, 4> kUnitKindNames = {"organisation", "area",
                                                                   "centre", "unit"};
inline constexpr std::array<std::string_view, 2> kSurveyKindNames = {"patient", "employee"};
inline constexpr std::array<std::string_view, 4> kChannelNames = {"sms", "web", "paper", "kiosk"};
inline constexpr std::array<std::string_view, 4> kLanguageNames = {"fi", "sv", "en", "other"};
inline constexpr std::array<std::string_view, 5> kVisitTypeNames = {
    "outpatient", "inpatient", "emergency", "remote", "other"};
inline constexpr std::array<std::string_view, 7> kAgeGroupNames = {
    "0-17", "18-29", "30-44", "45-64", "65-74", "75+", "unknown"};

inline constexpr std::array<std::string_view, 7> kThemeNames = {
    "facilities", "staff_attitude", "professional_skill", "care", "information", "digital", "waiting"};
inline constexpr std::array<std::string_view, 4> kSentimentNames = {"positive", "negative", "neutral", "mixed"};

template <typename E>
struct EnumTraits;
template <> struct EnumTraits<Theme> { static constexpr const auto& kNames = kThemeNames; static constexpr std::string_view kWhat = "theme"; };
template <> struct EnumTraits<Sentiment> { static constexpr const auto& kNames = kSentimentNames; static constexpr std::string_view kWhat = "sentiment"; };
template <> struct EnumTraits<UnitKind> { static constexpr const auto& kNames = kUnitKindNames; static constexpr std::string_view kWhat = "unit kind"; };
template <> struct EnumTraits<SurveyKind> { static constexpr const auto& kNames = kSurveyKindNames; static constexpr std::string_view kWhat = "survey"; };
template <> struct EnumTraits<Channel> { static constexpr const auto& kNames = kChannelNames; static constexpr std::string_view kWhat = "channel"; };
template <> struct EnumTraits<Language> { static constexpr const auto& kNames = kLanguageNames; static constexpr std::string_view kWhat = "language"; };
template <> struct EnumTraits<VisitType> { static constexpr const auto& kNames = kVisitTypeNames; static constexpr std::string_view kWhat = "visit type"; };
template <> struct EnumTraits<AgeGroup> { static constexpr const auto& kNames = kAgeGroupNames; static constexpr std::string_view kWhat = "age group"; };

// Returns the external name of `value`.
template <typename E>
constexpr std::string_view ToName(E value) {
  return EnumTraits<E>::kNames[static_cast<size_t>(value)];
}

// Returns the enumerator whose external name is exactly `name`, or nullopt.
template <typename E>
constexpr std::optional<E> ParseEnum(std::string_view name) {
  const auto& names = EnumTraits<E>::kNames;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

// "sms, web, paper, kiosk": the allowed names, for error messages.
template <typename E>
std::string AllowedNames() {
  std::string out;
  for (std::string_view name : EnumTraits<E>::kNames) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

template <typename E>
constexpr size_t EnumCount() {
  return EnumTraits<E>::kNames.size();
}

}  // namespace mittari
