#include "sms/phone.h"

#include <gtest/gtest.h>

namespace mittari::sms {
namespace {

std::string Ok(std::string_view input, Country country = Country::kFinland) {
  Result<std::string> r = NormalizePhone(input, country);
  EXPECT_TRUE(r.ok()) << input << ": " << r.status().ToString();
  return r.ok() ? *r : "";
}

TEST(NormalizePhone, FinnishNationalFormsBecomeOneNumber) {
  for (const char* form : {"040 123 4567", "040-1234567", "0401234567", "040 1234 567", "(040) 123 4567",
                           "+358 40 123 4567", "+358401234567", "00358 40 1234567", "+358 (0)40 123 4567"}) {
    EXPECT_EQ(Ok(form), "+358401234567") << form;
  }
  EXPECT_EQ(Ok("050 123 45 67"), "+358501234567");
  EXPECT_EQ(Ok("09 1234 5678"), "+358912345678");  // Helsinki landline
}

TEST(NormalizePhone, SwedishNumbers) {
  EXPECT_EQ(Ok("070-123 45 67", Country::kSweden), "+46701234567");
  EXPECT_EQ(Ok("+46 70 123 45 67"), "+46701234567");
  EXPECT_EQ(Ok("0046 70 123 45 67"), "+46701234567");
  EXPECT_EQ(Ok("08-123 456 78", Country::kSweden), "+46812345678");
}

TEST(NormalizePhone, OtherInternationalNumbers) {
  EXPECT_EQ(Ok("+44 20 7946 0958"), "+442079460958");
  EXPECT_EQ(Ok("+1 (202) 555-0175"), "+12025550175");
}

TEST(NormalizePhone, RejectsWhatCannotBeANumberWithAReason) {
  auto reason = [](std::string_view input) { return NormalizePhone(input).status().message(); };
  EXPECT_NE(reason("040 123 456x").find("only digits"), std::string::npos);
  EXPECT_NE(reason("").find("no digits"), std::string::npos);
  EXPECT_NE(reason("1234567").find("must start with"), std::string::npos);
  EXPECT_NE(reason("040").find("digits after the leading 0"), std::string::npos);
  EXPECT_NE(reason("+35840123456789012").find("more than 15"), std::string::npos);
  EXPECT_NE(reason("+12345").find("too short"), std::string::npos);
  EXPECT_NE(reason("000401234567").find("no country code"), std::string::npos);
  EXPECT_NE(reason("040+1234567").find("only digits"), std::string::npos);  // + only in front
  EXPECT_NE(reason("040 123 456x").find("'040 123 456x'"), std::string::npos);  // names the input
}

}  // namespace
}  // namespace mittari::sms
