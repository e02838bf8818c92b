#include "sms/segments.h"

#include <gtest/gtest.h>

#include <string>

namespace mittari::sms {
namespace {

SmsLength Measure(const std::string& text) {
  Result<SmsLength> r = MeasureSms(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : SmsLength{};
}

TEST(MeasureSms, FinnishAndSwedishLettersAreGsm7) {
  SmsLength fi = Measure("Kiitos käynnistä! Kuinka todennäköisesti suosittelisit meitä? Vastaa 0–10.");
  // The en dash is not GSM: a template must use a hyphen to stay in one GSM-7 part.
  EXPECT_EQ(fi.encoding, SmsEncoding::kUcs2);
  SmsLength plain = Measure("Kiitos käynnistä! Kuinka todennäköisesti suosittelisit meitä? Vastaa 0-10.");
  EXPECT_EQ(plain.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(plain.parts, 1);
  EXPECT_EQ(Measure("Tack för besöket! Hur sannolikt är det att du rekommenderar oss? Svara 0-10. Å").encoding,
            SmsEncoding::kGsm7);
}

TEST(MeasureSms, PartBoundaries) {
  EXPECT_EQ(Measure("").parts, 0);
  EXPECT_EQ(Measure(std::string(160, 'a')).parts, 1);
  EXPECT_EQ(Measure(std::string(161, 'a')).parts, 2);
  EXPECT_EQ(Measure(std::string(306, 'a')).parts, 2);  // 2 × 153
  EXPECT_EQ(Measure(std::string(307, 'a')).parts, 3);
}

TEST(MeasureSms, ExtensionCharactersTakeTwoSeptets) {
  SmsLength euro = Measure("€");
  EXPECT_EQ(euro.encoding, SmsEncoding::kGsm7);
  EXPECT_EQ(euro.units, 2u);
  EXPECT_EQ(Measure(std::string(159, 'a') + "€").parts, 2);  // 161 septets
}

TEST(MeasureSms, OtherCharactersForceUcs2) {
  SmsLength cyrillic = Measure("Спасибо");
  EXPECT_EQ(cyrillic.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(cyrillic.units, 7u);
  SmsLength emoji = Measure("Kiitos 😀");
  EXPECT_EQ(emoji.encoding, SmsEncoding::kUcs2);
  EXPECT_EQ(emoji.units, 9u);  // the emoji is a surrogate pair
  std::string seventy(70, 'x');
  seventy[0] = '\xd0', seventy.insert(1, 1, '\x96');  // "Ж" + 69 × 'x' = 70 units
  EXPECT_EQ(Measure(seventy).parts, 1);
  EXPECT_EQ(Measure(seventy + "x").parts, 2);  // 71 units: 67 per part
}

TEST(MeasureSms, InvalidUtf8IsAnError) {
  EXPECT_FALSE(MeasureSms("\xff\xfe").ok());
}

}  // namespace
}  // namespace mittari::sms
