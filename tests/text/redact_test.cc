#include "text/redact.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace mittari::text {
namespace {

// The check character for DDMMYYNNN, computed here independently of the code under test so
// that the "valid" examples below are known to be valid.
char FinnishCheckCharacter(std::string_view nine_digits) {
  constexpr std::string_view kAlphabet = "0123456789ABCDEFHJKLMNPRSTUVWXY";
  long value = 0;
  for (char c : nine_digits) value = value * 10 + (c - '0');
  return kAlphabet[value % 31];
}

// Each of these must come back unchanged, with nothing counted.
void ExpectKept(std::string_view text) {
  RedactionCounts counts;
  EXPECT_EQ(RedactPersonalData(text, &counts), text);
  EXPECT_EQ(counts.total(), 0) << text;
}

// --- Finnish identity codes ------------------------------------------------------------------

TEST(Redact, FinnishIdentityCodeWithValidCheckCharacter) {
  ASSERT_EQ(FinnishCheckCharacter("131052308"), 'T');
  ASSERT_EQ(FinnishCheckCharacter("311299987"), '2');
  RedactionCounts counts;
  EXPECT_EQ(RedactPersonalData("131052-308T", &counts), "[HETU]");
  EXPECT_EQ(RedactPersonalData("hetu 311299-9872 ok", &counts), "hetu [HETU] ok");
  EXPECT_EQ(counts.identity_codes, 2);
  EXPECT_EQ(counts.total(), 2);
}

TEST(Redact, FinnishIdentityCodeWithInvalidCheckCharacter) {
  // The valid check character for 010101A123 is N, so B is a typo; still someone's code.
  ASSERT_EQ(FinnishCheckCharacter("010101123"), 'N');
  EXPECT_EQ(RedactPersonalData("010101A123B"), "[HETU]");
  EXPECT_EQ(RedactPersonalData("131052-308U"), "[HETU]");
  EXPECT_EQ(RedactPersonalData("131052-3081"), "[HETU]");
  // Letters outside the check alphabet are typos too.
  EXPECT_EQ(RedactPersonalData("131052-308G"), "[HETU]");
}

TEST(Redact, FinnishIdentityCodeInLowerCase) {
  EXPECT_EQ(RedactPersonalData("010101a123n"), "[HETU]");
  EXPECT_EQ(RedactPersonalData("131052-308t"), "[HETU]");
}

TEST(Redact, FinnishIdentityCodeEveryCenturySign) {
  for (char sign : std::string_view("+-ABCDEFUVWXYabcdefuvwxy")) {
    const std::string code = std::string("131052") + sign + "308T";
    EXPECT_EQ(RedactPersonalData("x " + code + " y"), "x [HETU] y") << code;
  }
}

TEST(Redact, FinnishIdentityCodeWithoutCheckCharacter) {
  // The nine digits determine the check character, so the rest identifies just as well.
  EXPECT_EQ(RedactPersonalData("tunnus 131052-308, kiitos"), "tunnus [HETU], kiitos");
}

TEST(Redact, FinnishIdentityCodeNeedsPlausibleDate) {
  ExpectKept("321052-308T");  // day 32
  ExpectKept("001052-308T");  // day 00
  ExpectKept("131352-308T");  // month 13
  ExpectKept("130052-308T");  // month 00
  ExpectKept("131052Q308T");  // Q is not a century sign
  ExpectKept("131052-30T");   // two-digit individual number
}

TEST(Redact, IdentityCodeNeedsBoundaryOnBothSides) {
  // Decision: glued to letters or digits, the code is more likely part of a product or
  // reference code than a person's, and the scanner cannot tell them apart; it is kept.
  ExpectKept("abc131052-308Tdef");
  ExpectKept("abc131052-308T");
  ExpectKept("131052-308Tdef");
  ExpectKept("9131052-308T");
  ExpectKept("131052-308T5");
  ExpectKept("ä131052-308T");
  ExpectKept("131052-308Tö");
  // Punctuation is a boundary.
  EXPECT_EQ(RedactPersonalData("(131052-308T)"), "([HETU])");
  EXPECT_EQ(RedactPersonalData("HETU:131052-308T."), "HETU:[HETU].");
  EXPECT_EQ(RedactPersonalData("\"131052-308T\""), "\"[HETU]\"");
}

// --- Swedish personnummer --------------------------------------------------------------------

TEST(Redact, SwedishPersonnummerForms) {
  RedactionCounts counts;
  EXPECT_EQ(RedactPersonalData("850312-1234", &counts), "[HETU]");
  EXPECT_EQ(RedactPersonalData("850312+1234", &counts), "[HETU]");
  EXPECT_EQ(RedactPersonalData("19850312-1234", &counts), "[HETU]");
  EXPECT_EQ(RedactPersonalData("198503121234", &counts), "[HETU]");
  EXPECT_EQ(RedactPersonalData("20050312-1234", &counts), "[HETU]");
  EXPECT_EQ(counts.identity_codes, 5);
}

TEST(Redact, SwedishSamordningsnummer) {
  EXPECT_EQ(RedactPersonalData("850372-1234"), "[HETU]");
  EXPECT_EQ(RedactPersonalData("19850391-1234"), "[HETU]");
  EXPECT_EQ(RedactPersonalData("198503721234"), "[HETU]");
}

TEST(Redact, SwedishPersonnummerNeedsPlausibleDate) {
  ExpectKept("851312-1234");    // month 13
  ExpectKept("850332-1234");    // day 32
  ExpectKept("850392-1234");    // day 92
  ExpectKept("19851312-1234");  // month 13
  ExpectKept("17850312-1234");  // century 17
  ExpectKept("123456789012");   // 12 digits, but month 56
  ExpectKept("1985031212345");  // 13 digits
}

// --- Phone numbers ---------------------------------------------------------------------------

TEST(Redact, FinnishNationalPhoneNumbers) {
  for (std::string_view phone :
       {"040 123 4567", "040-1234567", "0401234567", "050 123 45 67", "09 1234 5678",
        "(09) 123 4567", "040 - 123 4567", "045-123 4567"}) {
    RedactionCounts counts;
    EXPECT_EQ(RedactPersonalData("puh. " + std::string(phone) + ", kiitos", &counts),
              "puh. [PHONE], kiitos")
        << phone;
    EXPECT_EQ(counts.phone_numbers, 1) << phone;
  }
}

TEST(Redact, InternationalPhoneNumbers) {
  for (std::string_view phone :
       {"+358 40 123 4567", "+358401234567", "00358 40 1234567", "+358 (0)40 123 4567",
        "+358 9 123 4567", "+46 70 123 45 67", "+44 20 7946 0958", "+1-212-555-0100",
        "+49 30 1234567", "0046701234567"}) {
    EXPECT_EQ(RedactPersonalData("numero " + std::string(phone) + "."), "numero [PHONE].") << phone;
  }
}

TEST(Redact, SwedishPhoneNumbers) {
  EXPECT_EQ(RedactPersonalData("ring 070-123 45 67"), "ring [PHONE]");
  EXPECT_EQ(RedactPersonalData("ring 08-123 456 78"), "ring [PHONE]");
  EXPECT_EQ(RedactPersonalData("ring +46 70 123 45 67"), "ring [PHONE]");
}

TEST(Redact, TextThatIsOnlyAPhoneNumber) {
  RedactionCounts counts;
  EXPECT_EQ(RedactPersonalData("0401234567", &counts), "[PHONE]");
  EXPECT_EQ(RedactPersonalData("+358 40 123 4567", &counts), "[PHONE]");
  EXPECT_EQ(counts.phone_numbers, 2);
  EXPECT_EQ(counts.total(), 2);
}

TEST(Redact, PhoneNumberDoesNotSwallowFollowingNumbers) {
  EXPECT_EQ(RedactPersonalData("soita 040 123 4567 10 kertaa"), "soita [PHONE] 10 kertaa");
  EXPECT_EQ(RedactPersonalData("soita 0401234567 2 kertaa"), "soita [PHONE] 2 kertaa");
  EXPECT_EQ(RedactPersonalData("+358 40 123 4567 10 min"), "[PHONE] 10 min");
  EXPECT_EQ(RedactPersonalData("040 123 4567 2kpl"), "[PHONE] 2kpl");
  EXPECT_EQ(RedactPersonalData("040 123 4567 - 050 765 4321"), "[PHONE] - [PHONE]");
}

TEST(Redact, PhoneNumberAfterAnOrdinaryNumber) {
  EXPECT_EQ(RedactPersonalData("vuonna 2023 040 123 4567"), "vuonna 2023 [PHONE]");
  EXPECT_EQ(RedactPersonalData("huone 214 040 123 4567"), "huone 214 [PHONE]");
  EXPECT_EQ(RedactPersonalData("2024-03-12 0401234567"), "2024-03-12 [PHONE]");
}

TEST(Redact, PhoneNumberNeedsSevenDigitsAndLeadingZeroOrPlus) {
  ExpectKept("040 123");
  ExpectKept("04 12 34");
  ExpectKept("+358 40");
  ExpectKept("401234567");
  ExpectKept("1234567890");
  EXPECT_EQ(RedactPersonalData("0401234"), "[PHONE]");
}

TEST(Redact, PhoneNumberNeedsBoundaryOnBothSides) {
  ExpectKept("abc0401234567");
  ExpectKept("0401234567abc");
  ExpectKept("ä0401234567");
  ExpectKept("tilaus5+358401234567");
  EXPECT_EQ(RedactPersonalData("(040 123 4567)"), "([PHONE])");
  EXPECT_EQ(RedactPersonalData("puh:0401234567;"), "puh:[PHONE];");
}

TEST(Redact, CandidatesCutOffByEndOfText) {
  for (std::string_view text : {"0",
                                "+",
                                "(",
                                "(0",
                                "(09",
                                "(09)",
                                "+3",
                                "131052",
                                "131052-",
                                "131052-30",
                                "19850312",
                                "19850312-",
                                "19850312-123",
                                "85031",
                                "matti@",
                                "matti@example",
                                "matti@example.",
                                "matti(at",
                                "x@",
                                "@"}) {
    ExpectKept(text);
  }
}

// --- E-mail addresses ------------------------------------------------------------------------

TEST(Redact, EmailAddresses) {
  for (std::string_view email :
       {"matti.meikalainen@example.com", "matti.meikäläinen@example.fi", "first+tag@example.com",
        "anna-liisa_k@sairaala-x.fi", "MATTI@EXAMPLE.FI", "a@b.co", "x.y@mail.sub.example.co.uk",
        "ÅSA.ÖBERG@exempel.se", "0401234567@sms.example.fi", "matti@bücher.de"}) {
    RedactionCounts counts;
    EXPECT_EQ(RedactPersonalData("osoite " + std::string(email) + " kiitos", &counts),
              "osoite [EMAIL] kiitos")
        << email;
    EXPECT_EQ(counts.emails, 1) << email;
    EXPECT_EQ(counts.total(), 1) << email;
  }
}

TEST(Redact, EmailWithHiddenAtSign) {
  EXPECT_EQ(RedactPersonalData("matti.meikalainen(at)example.fi"), "[EMAIL]");
  EXPECT_EQ(RedactPersonalData("matti[at]example.fi"), "[EMAIL]");
  EXPECT_EQ(RedactPersonalData("matti(AT)example.fi"), "[EMAIL]");
}

TEST(Redact, EmailLeavesSurroundingPunctuation) {
  EXPECT_EQ(RedactPersonalData("Kirjoita: matti@example.fi."), "Kirjoita: [EMAIL].");
  EXPECT_EQ(RedactPersonalData("(matti@example.fi)"), "([EMAIL])");
  EXPECT_EQ(RedactPersonalData("<matti@example.fi>"), "<[EMAIL]>");
  EXPECT_EQ(RedactPersonalData("...matti@example.fi"), "...[EMAIL]");
  EXPECT_EQ(RedactPersonalData("matti@example.fi, anna@example.fi"), "[EMAIL], [EMAIL]");
  EXPECT_EQ(RedactPersonalData("matti@example.fi.123"), "[EMAIL].123");
}

TEST(Redact, NotEmailAddresses) {
  ExpectKept("@matti");
  ExpectKept("matti@");
  ExpectKept("matti@localhost");
  ExpectKept("a@b.c");
  ExpectKept("matti@example.123");
  ExpectKept("10@20 euroa");
  ExpectKept("matti @ example.fi");
  ExpectKept("matti@-example.fi");
  ExpectKept("(at) the hospital");
}

// --- Ordinary numbers ------------------------------------------------------------------------

TEST(Redact, KeepsOrdinaryNumbers) {
  for (std::string_view text : {"9/10",
                                "10/10",
                                "klo 14.30",
                                "kello 8:15",
                                "2 tuntia",
                                "10 min",
                                "3. kerros",
                                "2024",
                                "vuonna 2023",
                                "12.3.2024",
                                "2024-03-12",
                                "45 minuuttia",
                                "1 000 euroa",
                                "huone 214",
                                "€25",
                                "95 %",
                                "100%",
                                "0,5 mg",
                                "klo 08.00-16.00",
                                "asteikolla 0-10",
                                "01.02.2024",
                                "01-02-2024",
                                "31-12-2023",
                                "1 000 000 000 euroa",
                                "0 1 2 3 4 5 6 7 8 9 10",
                                "hinta 12,50 €",
                                "3-4 viikkoa",
                                "08-16",
                                "1.1.2020-1.2.2020",
                                "+5 astetta",
                                "puhelinaika 8-10"}) {
    ExpectKept(text);
  }
}

TEST(Redact, KeepsOrdinaryNumbersInContext) {
  ExpectKept(
      "Annan arvosanaksi 9/10. Jonotin 45 minuuttia klo 14.30 alkaen, huone 214, 3. kerros. "
      "Vuonna 2023 maksoin 1 000 euroa, nyt €25 (12.3.2024). Odotin 2 tuntia, 95 % tyytyväinen.");
}

// --- Combinations and text around matches ----------------------------------------------------

TEST(Redact, EmptyInput) {
  RedactionCounts counts;
  EXPECT_EQ(RedactPersonalData("", &counts), "");
  EXPECT_EQ(counts.total(), 0);
  EXPECT_EQ(RedactPersonalData(""), "");
}

TEST(Redact, TextWithoutPersonalDataIsReturnedUnchanged) {
  ExpectKept("Hoitaja oli erittäin ystävällinen ja osaava. Kiitos!");
  ExpectKept("Personalen var trevlig, men väntetiden var lång.");
  ExpectKept("Great care, thank you.");
}

TEST(Redact, SeveralItemsInOneText) {
  RedactionCounts counts;
  EXPECT_EQ(RedactPersonalData("131052-308T, 040 123 4567, matti@example.fi, 19850312-1234, "
                               "+46 70 123 45 67 ja anna@example.se",
                               &counts),
            "[HETU], [PHONE], [EMAIL], [HETU], [PHONE] ja [EMAIL]");
  EXPECT_EQ(counts.identity_codes, 2);
  EXPECT_EQ(counts.phone_numbers, 2);
  EXPECT_EQ(counts.emails, 2);
  EXPECT_EQ(counts.total(), 6);
}

TEST(Redact, ItemsDirectlyAfterAnotherItem) {
  // The end of a replaced item is a boundary, so redacting twice changes nothing more.
  const std::string once = RedactPersonalData("0401234567+358401234567 ja 131052-308T+46701234567");
  EXPECT_EQ(once, "[PHONE][PHONE] ja [HETU][PHONE]");
  EXPECT_EQ(RedactPersonalData(once), once);
}

TEST(Redact, CountsAccumulateAcrossCalls) {
  RedactionCounts counts;
  RedactPersonalData("040 123 4567", &counts);
  RedactPersonalData("matti@example.fi", &counts);
  RedactPersonalData("ei mitään", &counts);
  RedactPersonalData("131052-308T", &counts);
  EXPECT_EQ(counts.phone_numbers, 1);
  EXPECT_EQ(counts.emails, 1);
  EXPECT_EQ(counts.identity_codes, 1);
  EXPECT_EQ(counts.total(), 3);
}

TEST(Redact, NullCountsIsAllowed) {
  EXPECT_EQ(RedactPersonalData("040 123 4567", nullptr), "[PHONE]");
}

TEST(Redact, MultibyteTextAroundMatchesPassesThrough) {
  EXPECT_EQ(RedactPersonalData("Hyvää päivää, ”soita 040 123 4567” – kiitos! 😊"),
            "Hyvää päivää, ”soita [PHONE]” – kiitos! 😊");
  EXPECT_EQ(RedactPersonalData("Åsa: 131052-308T/ö"), "Åsa: [HETU]/ö");
  EXPECT_EQ(RedactPersonalData("–040 123 4567–"), "–[PHONE]–");
  EXPECT_EQ(RedactPersonalData("😊matti@example.fi😊"), "😊[EMAIL]😊");
  EXPECT_EQ(RedactPersonalData("Ärrå\u00a0040 123 4567\u00a0äö"), "Ärrå\u00a0[PHONE]\u00a0äö");
  EXPECT_EQ(RedactPersonalData("日本語 0401234567 日本語"), "日本語 [PHONE] 日本語");
}

TEST(Redact, MalformedUtf8PassesThrough) {
  const std::string text = "\xff\xfe 040 123 4567 \xc3";
  EXPECT_EQ(RedactPersonalData(text), "\xff\xfe [PHONE] \xc3");
  ExpectKept("\xc3");
  ExpectKept("\xe2\x82");
  ExpectKept("abc\x80\x80\x80\x80");
  EXPECT_EQ(RedactPersonalData("\x80\x80\x80\x80"
                               "0401234567"),
            "\x80\x80\x80\x80[PHONE]");
}

TEST(Redact, RealisticFinnishComment) {
  RedactionCounts counts;
  EXPECT_EQ(RedactPersonalData("Lääkäri oli ystävällinen, soittakaa minulle 040 123 4567 tai "
                               "matti.meikalainen@example.com",
                               &counts),
            "Lääkäri oli ystävällinen, soittakaa minulle [PHONE] tai [EMAIL]");
  EXPECT_EQ(counts.phone_numbers, 1);
  EXPECT_EQ(counts.emails, 1);
}

TEST(Redact, RealisticFinnishCommentWithIdentityCode) {
  EXPECT_EQ(RedactPersonalData("Jonotin 2 tuntia klo 14.30 alkaen. Hetuni on 131052-308T, "
                               "hoitaja soitti numerosta (09) 123 4567. Arvosana 7/10."),
            "Jonotin 2 tuntia klo 14.30 alkaen. Hetuni on [HETU], hoitaja soitti numerosta "
            "[PHONE]. Arvosana 7/10.");
}

TEST(Redact, RealisticSwedishComment) {
  RedactionCounts counts;
  EXPECT_EQ(RedactPersonalData("Min personnummer är 19850312-1234, ring 070-123 45 67", &counts),
            "Min personnummer är [HETU], ring [PHONE]");
  EXPECT_EQ(counts.identity_codes, 1);
  EXPECT_EQ(counts.phone_numbers, 1);
}

TEST(Redact, RealisticEnglishComment) {
  EXPECT_EQ(
      RedactPersonalData("The nurse on the 3rd floor was lovely. I waited 45 minutes. Call me on "
                         "+44 7700 900123 or email john.smith@example.co.uk (ID 010101A123B)."),
      "The nurse on the 3rd floor was lovely. I waited 45 minutes. Call me on [PHONE] or email "
      "[EMAIL] (ID [HETU]).");
}

}  // namespace
}  // namespace mittari::text
