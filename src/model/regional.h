// File: model/regional.h
//
// The records of regional finance as they are imported and stored: member municipalities, their
// residents by age group, service products and yearly prices, production and per-patient costs
// by municipality of residence, and the ledger by cost centre. The computations over them live
// in src/regional/; these are plain values the store reads and writes.
//
// Money is whole cents (int64). Periods are a calendar year or a month "YYYY-MM"; importing a
// file replaces every period it contains (see Store::Replace*), so re-importing never doubles.
//
// Age groups of residents (the groups of population statistics, not of survey respondents) are
// stored as their index 0..5: 0-6, 7-17, 18-64, 65-74, 75-84, 85+ (regional::AgeGroup).
//
// Thread-compatible value types.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "model/enums.h"

namespace mittari {

// A member municipality. `code` is Statistics Finland's three-digit code ("091" Helsinki).
// `payer` is the code of the wellbeing services county (or city) that pays its invoices, e.g.
// "KESKI-SUOMI"; `payer_name` its name. Validity dates are local dates YYYY-MM-DD or empty.
struct Municipality {
  std::string code;
  std::string name_fi;
  std::string name_sv;
  std::string payer;
  std::string payer_name;
  std::string valid_from;
  std::string valid_to;
  bool operator==(const Municipality&) const = default;
};

struct PopulationRow {
  std::string municipality;
  int year = 0;
  int age_group = 0;  // 0..5, see above
  int64_t residents = 0;
};

enum class ProductKind : uint8_t { kVisit, kBedDay, kProcedure, kDrg, kRemote, kCount };
inline constexpr std::array<std::string_view, 5> kProductKindNames = {"visit", "bed_day", "procedure",
                                                                      "drg", "remote"};
template <> struct EnumTraits<ProductKind> { static constexpr const auto& kNames = kProductKindNames; static constexpr std::string_view kWhat = "product kind"; };

struct ServiceProduct {
  std::string code;
  std::string name_fi;
  std::string name_sv;
  std::string name_en;
  ProductKind kind = ProductKind::kVisit;
  bool operator==(const ServiceProduct&) const = default;
};

struct ProductPrice {
  std::string product;
  int year = 0;
  int64_t unit_price_cents = 0;
};

// Production for residents of a municipality: volume of a product in a month, and how many
// distinct patients it was for, by resident age group (so that costs can be age-standardised).
struct ProductionRow {
  std::string municipality;
  std::string product;
  std::string month;  // YYYY-MM
  int age_group = 0;  // 0..5
  int64_t volume = 0;
  int64_t patients = 0;
};

// One patient's cost in a year (possibly one of several lines for the same patient-year).
// `patient_id` is a pseudonym, never a personal identity code.
struct PatientCostRow {
  std::string patient_id;
  std::string municipality;
  int year = 0;
  int64_t cost_cents = 0;
};

enum class LedgerAccount : uint8_t {
  kPersonnel, kMaterials, kPurchasedServices, kRents, kDepreciation, kOther, kCount
};
inline constexpr std::array<std::string_view, 6> kLedgerAccountNames = {
    "personnel", "materials", "purchased_services", "rents", "depreciation", "other"};
template <> struct EnumTraits<LedgerAccount> { static constexpr const auto& kNames = kLedgerAccountNames; static constexpr std::string_view kWhat = "account"; };

// `cost_centre` is an organisation unit code.
struct LedgerRow {
  std::string cost_centre;
  LedgerAccount account = LedgerAccount::kOther;
  std::string month;  // YYYY-MM
  int64_t amount_cents = 0;
};

// A municipality's need coefficient for capitation in a year (1.0 is average need).
struct NeedCoefficientRow {
  std::string municipality;
  int year = 0;
  double coefficient = 1.0;
};

// What replacing periods did.
struct PeriodWriteStats {
  int64_t periods = 0;        // distinct periods replaced
  int64_t rows_removed = 0;   // rows those periods held before
  int64_t rows_inserted = 0;
};

}  // namespace mittari
