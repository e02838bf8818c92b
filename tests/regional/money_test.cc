#include "regional/money.h"

#include <gtest/gtest.h>

#include <limits>
#include <numeric>

namespace mittari::regional {
namespace {

Money Cents(int64_t cents) { return Money::FromCents(cents); }

int64_t ParsedCents(std::string_view text) {
  Result<Money> money = Money::Parse(text);
  EXPECT_TRUE(money.ok()) << text << ": " << money.status().ToString();
  return money.ok() ? money->cents() : -999999;
}

TEST(Money, ArithmeticIsExact) {
  // The classic binary floating point trap: 0.1 + 0.2 != 0.3.
  EXPECT_EQ(Cents(10) + Cents(20), Cents(30));
  EXPECT_EQ(Cents(30) - Cents(45), Cents(-15));
  EXPECT_EQ(-Cents(5), Cents(-5));
  Money sum;
  for (int i = 0; i < 1000; ++i) sum += Cents(1);
  EXPECT_EQ(sum, Cents(1000));
  EXPECT_LT(Cents(-1), Money::Zero());
}

TEST(MoneyParse, AcceptsTheDistrictsWritingStyles) {
  EXPECT_EQ(ParsedCents("1234.56"), 123456);
  EXPECT_EQ(ParsedCents("1 234,56"), 123456);
  EXPECT_EQ(ParsedCents("-0.5"), -50);
  EXPECT_EQ(ParsedCents("-0,5"), -50);
  EXPECT_EQ(ParsedCents("\u22120,05"), -5);
  EXPECT_EQ(ParsedCents("+12"), 1200);
  EXPECT_EQ(ParsedCents("0"), 0);
  EXPECT_EQ(ParsedCents("1,234.56 €"), 123456);
  EXPECT_EQ(ParsedCents("1.234.567,89"), 123456789);
  EXPECT_EQ(ParsedCents("1\u202F234\u202F567,89\u00A0€"), 123456789);
  EXPECT_EQ(ParsedCents("  7,00 "), 700);
}

TEST(MoneyParse, RejectsWhatIsNotExactCents) {
  for (std::string_view text :
       {"", "€", "-", "abc", "1,234", "1.005", "12.", ".5", "1 23,45", "12 ,5", "1.2.3,4,5",
        "1,2,3", "1e3", "99999999999999999999", "--1", "1 2345"}) {
    Result<Money> money = Money::Parse(text);
    EXPECT_FALSE(money.ok()) << "'" << text << "' parsed as " << money->cents();
  }
}

TEST(MoneyParse, ErrorQuotesTheText) {
  Result<Money> money = Money::Parse("1.005");
  ASSERT_FALSE(money.ok());
  EXPECT_NE(money.status().message().find("'1.005'"), std::string::npos);
}

TEST(MoneyParse, RangeLimits) {
  EXPECT_EQ(ParsedCents("92233720368547758.07"), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(Money::Parse("92233720368547758.08").ok());
  EXPECT_EQ(ParsedCents("-92233720368547758.08"), std::numeric_limits<int64_t>::min());
}

TEST(MoneyFormat, FinnishAndSwedishUseCommaAndNarrowSpaces) {
  EXPECT_EQ(Cents(123456789).Format("fi"), "1\u202F234\u202F567,89\u00A0€");
  EXPECT_EQ(Cents(123456).Format("sv"), "1\u202F234,56\u00A0€");
  EXPECT_EQ(Cents(-50).Format("fi"), "-0,50\u00A0€");
  EXPECT_EQ(Cents(0).Format("fi"), "0,00\u00A0€");
  EXPECT_EQ(Cents(100000).Format("fi"), "1\u202F000,00\u00A0€");
  EXPECT_EQ(Cents(99999).Format("fi"), "999,99\u00A0€");
}

TEST(MoneyFormat, EnglishUsesPointAndComma) {
  EXPECT_EQ(Cents(123456789).Format("en"), "1,234,567.89\u00A0€");
  EXPECT_EQ(Cents(-5).Format("en"), "-0.05\u00A0€");
}

TEST(MoneyFormat, RoundTripsThroughParse) {
  for (int64_t cents :
       {int64_t{0}, int64_t{1}, int64_t{-1}, int64_t{99}, int64_t{100000}, int64_t{-123456789},
        std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::min()}) {
    for (std::string_view language : {"fi", "sv", "en"}) {
      EXPECT_EQ(ParsedCents(Cents(cents).Format(language)), cents) << language;
    }
  }
}

TEST(Rounding, HalfAwayFromZero) {
  EXPECT_EQ(*RoundedQuotient(5, 2), 3);
  EXPECT_EQ(*RoundedQuotient(-5, 2), -3);
  EXPECT_EQ(*RoundedQuotient(5, -2), -3);
  EXPECT_EQ(*RoundedQuotient(4, 3), 1);
  EXPECT_EQ(*RoundedQuotient(5, 3), 2);
  EXPECT_EQ(*RoundedQuotient(-4, 3), -1);
  EXPECT_FALSE(RoundedQuotient(1, 0).ok());
  EXPECT_FALSE(RoundedQuotient(std::numeric_limits<int64_t>::min(), -1).ok());
}

TEST(Rounding, ScaleRoundedRoundsOnceAtTheEnd) {
  // 0.01 € × 1/2 = 0.005 € → 0.01 €; −0.005 € → −0.01 €.
  EXPECT_EQ(*ScaleRounded(Cents(1), 1, 2), Cents(1));
  EXPECT_EQ(*ScaleRounded(Cents(-1), 1, 2), Cents(-1));
  // 100.00 € × 1/3 = 33.333… € → 33.33 €; × 2/3 = 66.666… → 66.67 €.
  EXPECT_EQ(*ScaleRounded(Cents(10000), 1, 3), Cents(3333));
  EXPECT_EQ(*ScaleRounded(Cents(10000), 2, 3), Cents(6667));
  // The intermediate product exceeds 64 bits but the result does not.
  const int64_t big = int64_t{1} << 40;
  EXPECT_EQ(*ScaleRounded(Cents(big), big, big), Cents(big));
  EXPECT_FALSE(ScaleRounded(Cents(1), 1, 0).ok());
}

TEST(MultiplyRounded, ExactWithinRangeAndErrorBeyond) {
  EXPECT_EQ(*MultiplyRounded(Cents(12345), 1000), Cents(12345000));
  EXPECT_EQ(*MultiplyRounded(Cents(-1), 3), Cents(-3));
  EXPECT_FALSE(MultiplyRounded(Cents(std::numeric_limits<int64_t>::max()), 2).ok());
}

TEST(AllocateLargestRemainder, OneEuroAmongThreeEqualsGoesToTheFirst) {
  Result<std::vector<Money>> shares = AllocateLargestRemainder(Cents(100), {1, 1, 1});
  ASSERT_TRUE(shares.ok());
  EXPECT_EQ(*shares, (std::vector<Money>{Cents(34), Cents(33), Cents(33)}));
}

TEST(AllocateLargestRemainder, LargestRemainderWinsOverPosition) {
  // 10 cents by 1:2:7 → exact; by 1:1:4 → 1.666…, 1.666…, 6.666… → floors 1, 1, 6 and two
  // cents left; the remainders are equal (2/3 each), so they go to the first two.
  EXPECT_EQ(*AllocateLargestRemainder(Cents(10), {1, 2, 7}),
            (std::vector<Money>{Cents(1), Cents(2), Cents(7)}));
  EXPECT_EQ(*AllocateLargestRemainder(Cents(10), {1, 1, 4}),
            (std::vector<Money>{Cents(2), Cents(2), Cents(6)}));
  // 10 cents by 4:1:1 → 6.666…, 1.666…, 1.666…: position decides only among equals.
  EXPECT_EQ(*AllocateLargestRemainder(Cents(10), {4, 1, 1}),
            (std::vector<Money>{Cents(7), Cents(2), Cents(1)}));
  // 7 cents by 1:3 → 1.75 and 5.25: the larger remainder (0.75) gets the cent.
  EXPECT_EQ(*AllocateLargestRemainder(Cents(7), {1, 3}), (std::vector<Money>{Cents(2), Cents(5)}));
}

TEST(AllocateLargestRemainder, ConservesAwkwardSums) {
  const std::vector<int64_t> weights = {7919, 104729, 1, 0, 3, 1299709};
  for (int64_t total : {int64_t{0}, int64_t{1}, int64_t{999}, int64_t{123456789},
                        std::numeric_limits<int64_t>::max()}) {
    Result<std::vector<Money>> shares = AllocateLargestRemainder(Cents(total), weights);
    ASSERT_TRUE(shares.ok());
    Money sum;
    for (Money share : *shares) sum += share;
    EXPECT_EQ(sum, Cents(total));
    EXPECT_EQ((*shares)[3], Money::Zero());
  }
}

TEST(AllocateLargestRemainder, Errors) {
  EXPECT_FALSE(AllocateLargestRemainder(Cents(-1), {1}).ok());
  EXPECT_FALSE(AllocateLargestRemainder(Cents(1), {1, -1}).ok());
  EXPECT_FALSE(AllocateLargestRemainder(Cents(1), {0, 0}).ok());
  EXPECT_FALSE(AllocateLargestRemainder(Cents(1), std::vector<int64_t>{}).ok());
  EXPECT_TRUE(AllocateLargestRemainder(Cents(0), {0, 0}).ok());
  EXPECT_FALSE(AllocateLargestRemainderByReal(Cents(1), {1.0, -0.5}).ok());
  EXPECT_FALSE(
      AllocateLargestRemainderByReal(Cents(1), {std::numeric_limits<double>::quiet_NaN()}).ok());
}

TEST(AllocateLargestRemainderByReal, ConservesAndIsProportional) {
  Result<std::vector<Money>> shares =
      AllocateLargestRemainderByReal(Cents(1000000), {0.1, 0.2, 0.7});
  ASSERT_TRUE(shares.ok());
  EXPECT_EQ(*shares, (std::vector<Money>{Cents(100000), Cents(200000), Cents(700000)}));
  shares = AllocateLargestRemainderByReal(Cents(100), {1.5, 1.5, 1.5});
  ASSERT_TRUE(shares.ok());
  EXPECT_EQ(*shares, (std::vector<Money>{Cents(34), Cents(33), Cents(33)}));
}

}  // namespace
}  // namespace mittari::regional
