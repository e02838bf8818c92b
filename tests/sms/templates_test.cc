#include "sms/templates.h"

#include <gtest/gtest.h>

#include <string>

#include "sms/segments.h"

namespace mittari::sms {
namespace {

constexpr MessageKind kAllKinds[] = {MessageKind::kInvitation, MessageKind::kOptOutConfirmation,
                                     MessageKind::kClarification, MessageKind::kClosed};
constexpr Language kAllLanguages[] = {Language::kFi, Language::kSv, Language::kEn,
                                      Language::kOther};

std::string Describe(MessageKind kind, Language language) {
  return std::string(MessageKindName(kind)) + "/" + std::string(ToName(language));
}

TEST(DefaultMessage, EveryTextFitsOneGsm7Part) {
  for (MessageKind kind : kAllKinds) {
    for (Language language : kAllLanguages) {
      std::string_view text = DefaultMessage(kind, language);
      Result<SmsLength> length = MeasureSms(text);
      ASSERT_TRUE(length.ok()) << Describe(kind, language);
      EXPECT_EQ(length->encoding, SmsEncoding::kGsm7) << Describe(kind, language) << ": " << text;
      EXPECT_EQ(length->parts, 1) << Describe(kind, language) << ": " << text;
    }
  }
}

TEST(DefaultMessage, InvitationsStayOnePartWithAUnitNameOf25Characters) {
  const std::string unit = "Hyvinkään sairaala, päiv.";
  ASSERT_EQ(MeasureSms(unit)->units, 25u);
  for (Language language : kAllLanguages) {
    Result<std::string> text =
        RenderMessage(DefaultMessage(MessageKind::kInvitation, language), unit);
    ASSERT_TRUE(text.ok()) << text.status().ToString();
    Result<SmsLength> length = MeasureSms(*text);
    ASSERT_TRUE(length.ok());
    EXPECT_EQ(length->encoding, SmsEncoding::kGsm7) << *text;
    EXPECT_EQ(length->parts, 1) << *text << " (" << length->units << " septets)";
  }
}

TEST(DefaultMessage, TextsAreInTheirLanguage) {
  EXPECT_NE(DefaultMessage(MessageKind::kInvitation, Language::kFi).find("LOPETA"),
            std::string_view::npos);
  EXPECT_NE(DefaultMessage(MessageKind::kInvitation, Language::kSv).find("SLUTA"),
            std::string_view::npos);
  EXPECT_NE(DefaultMessage(MessageKind::kInvitation, Language::kEn).find("STOP"),
            std::string_view::npos);
  for (Language language : kAllLanguages) {
    std::string_view invitation = DefaultMessage(MessageKind::kInvitation, language);
    EXPECT_NE(invitation.find("{unit}"), std::string_view::npos) << ToName(language);
    EXPECT_NE(invitation.find("0-10"), std::string_view::npos) << ToName(language);
  }
  for (MessageKind kind : kAllKinds) {
    EXPECT_EQ(DefaultMessage(kind, Language::kOther), DefaultMessage(kind, Language::kEn));
    EXPECT_NE(DefaultMessage(kind, Language::kFi), DefaultMessage(kind, Language::kEn));
    EXPECT_NE(DefaultMessage(kind, Language::kSv), DefaultMessage(kind, Language::kEn));
  }
}

TEST(DefaultMessage, EveryDefaultRenders) {
  for (MessageKind kind : kAllKinds) {
    for (Language language : kAllLanguages) {
      EXPECT_TRUE(RenderMessage(DefaultMessage(kind, language), "Malmin sairaala").ok())
          << Describe(kind, language);
    }
  }
}

TEST(MessageKindName, ExternalNames) {
  EXPECT_EQ(MessageKindName(MessageKind::kInvitation), "invitation");
  EXPECT_EQ(MessageKindName(MessageKind::kOptOutConfirmation), "opt_out_confirmation");
  EXPECT_EQ(MessageKindName(MessageKind::kClarification), "clarification");
  EXPECT_EQ(MessageKindName(MessageKind::kClosed), "closed");
}

TEST(RenderMessage, ReplacesEveryUnitPlaceholder) {
  Result<std::string> text = RenderMessage("{unit}: kiitos käynnistä. {unit}", "Malmin sairaala");
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, "Malmin sairaala: kiitos käynnistä. Malmin sairaala");
  EXPECT_EQ(*RenderMessage("No placeholders here.", "X"), "No placeholders here.");
  EXPECT_EQ(*RenderMessage("", "X"), "");
  EXPECT_EQ(*RenderMessage("Stray } brace", "X"), "Stray } brace");
}

TEST(RenderMessage, TheUnitNameIsNotScannedForPlaceholders) {
  EXPECT_EQ(*RenderMessage("{unit}!", "Unit {name}"), "Unit {name}!");
}

TEST(RenderMessage, UnknownPlaceholdersAreErrorsNamingThem) {
  Result<std::string> text = RenderMessage("Hei {name}, {unit}", "Malmin sairaala");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(text.status().message().find("{name}"), std::string::npos) << text.status().message();

  Result<std::string> misspelt = RenderMessage("{Unit}: kiitos", "Malmin sairaala");
  ASSERT_FALSE(misspelt.ok());
  EXPECT_NE(misspelt.status().message().find("{Unit}"), std::string::npos);

  Result<std::string> unclosed = RenderMessage("Kiitos käynnistä {unit", "Malmin sairaala");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_EQ(unclosed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unclosed.status().message().find("'{unit'"), std::string::npos)
      << unclosed.status().message();
}

}  // namespace
}  // namespace mittari::sms
