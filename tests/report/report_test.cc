#include "report/report.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace mittari::report {
namespace {

Table Sample() {
  Table t;
  t.columns = {"area", "n", "nps", "suppressed"};
  t.rows.push_back({std::string("Etelä, \"iso\""), int64_t{120}, Decimal{66.666, 1}, false});
  t.rows.push_back({std::string("Pohjoinen"), Cell(), Cell(), true});
  return t;
}

TEST(Render, TableAlignsColumnsAndShowsNullsAsDash) {
  std::string text = Render(Sample(), Format::kTable);
  EXPECT_EQ(text,
            "area            n   nps  suppressed\n"
            "------------  ---  ----  ----------\n"
            "Etelä, \"iso\"  120  66.7  no\n"
            "Pohjoinen       –     –  yes\n");
}

TEST(Render, TablesForPeopleWriteNumbersTheLanguagesWay) {
  Table table{{"year", "amount", "n"}, {{int64_t{2025}, Decimal{1234567.891, 2}, int64_t{635760}},
                                        {int64_t{2024}, Decimal{-5666.66, 2}, int64_t{1234}}}};
  const std::string fi = RenderTableIn(table, "fi");
  EXPECT_NE(fi.find("2025  1\u202f234\u202f567,89  635\u202f760"), std::string::npos) << fi;
  EXPECT_NE(fi.find("2024      −5666,66     1234"), std::string::npos) << fi;
  const std::string en = RenderTableIn(table, "en");
  EXPECT_NE(en.find("2,025  1,234,567.89  635,760"), std::string::npos) << en;
  EXPECT_EQ(FormatNumber(-0.004, 2, "fi"), "0,00");  // no minus on a zero
  EXPECT_EQ(FormatNumber(1658, 0, "sv"), "1658");
  // The plain table is unchanged.
  EXPECT_NE(Render(table, Format::kTable).find("1234567.89"), std::string::npos);
}

TEST(Render, CsvQuotesAndLeavesNullsEmpty) {
  EXPECT_EQ(Render(Sample(), Format::kCsv),
            "area,n,nps,suppressed\n"
            "\"Etelä, \"\"iso\"\"\",120,66.7,false\n"
            "Pohjoinen,,,true\n");
}

TEST(Render, JsonIsAnArrayOfObjectsWithNulls) {
  nlohmann::json j = nlohmann::json::parse(Render(Sample(), Format::kJson));
  ASSERT_TRUE(j.is_array());
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0]["area"], "Etelä, \"iso\"");
  EXPECT_EQ(j[0]["n"], 120);
  EXPECT_NEAR(j[0]["nps"].get<double>(), 66.666, 1e-9);
  EXPECT_EQ(j[0]["suppressed"], false);
  EXPECT_TRUE(j[1]["n"].is_null());
  EXPECT_EQ(j[1]["suppressed"], true);
}

TEST(Render, EmptyTableStillHasAHeader) {
  Table t;
  t.columns = {"year", "n"};
  EXPECT_EQ(Render(t, Format::kCsv), "year,n\n");
  EXPECT_EQ(Render(t, Format::kJson), "[]\n");
}

TEST(ParseFormat, NamesTheValidFormats) {
  EXPECT_EQ(*ParseFormat("json"), Format::kJson);
  Result<Format> bad = ParseFormat("xml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("table, csv or json"), std::string::npos);
}

}  // namespace
}  // namespace mittari::report
