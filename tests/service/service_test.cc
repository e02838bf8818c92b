#include "service/service.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace mittari {
namespace {

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           (std::string("mittari_service_") + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    service_ = std::move(Service::Open((dir_ / "s.db").string(), true)).value();
  }
  void TearDown() override {
    service_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Service> service_;
};

TEST_F(ServiceTest, ResponsesBeforeUnitsIsAClearError) {
  std::string path = Write("r.csv", "source\n");
  Result<ImportSummary> result = service_->ImportResponses(path, {});
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("import units first"), std::string::npos);
}

TEST_F(ServiceTest, EngineFollowsCommittedImportsWithoutReloading) {
  ASSERT_TRUE(service_->ImportUnits(Write("u.csv",
                                          "code,parent,kind,name_fi,name_sv,name_en\n"
                                          "HD,,organisation,Piiri,Distrikt,District\n"
                                          "U1,HD,unit,Yksikkö,Enhet,Unit\n"),
                                    {})
                  .ok());
  std::string header =
      "source,external_id,survey,unit,answered_at,channel,language,visit_type,age_group,score\n";
  ASSERT_TRUE(service_->ImportResponses(
                          Write("a.csv", header + "t,1,patient,U1,2024-01-01T10:00:00Z,sms,fi,outpatient,75+,10\n"), {})
                  .ok());
  Result<const Engine*> engine = service_->engine();
  ASSERT_TRUE(engine.ok());
  const Engine* before = *engine;
  EXPECT_EQ(before->rows(), 1u);
  ASSERT_TRUE(service_->ImportResponses(
                          Write("b.csv", header + "t,2,patient,U1,2024-01-02T10:00:00Z,sms,fi,outpatient,75+,0\n"), {})
                  .ok());
  engine = service_->engine();
  ASSERT_TRUE(engine.ok());
  EXPECT_EQ(*engine, before);  // same engine object, appended to
  EXPECT_EQ((*engine)->rows(), 2u);
  ReportRequest request;
  request.min_n = 1;
  Result<report::Table> table = service_->NpsReport(request);
  ASSERT_TRUE(table.ok());
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(std::get<int64_t>(table->rows[0][0]), 2);  // n
}

TEST_F(ServiceTest, DemoIsDeterministicAndIdempotent) {
  DemoRequest request;
  request.responses = 5000;
  Result<ResponseWriteStats> first = service_->GenerateDemo(request);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->inserted, 5000);
  Result<ResponseWriteStats> second = service_->GenerateDemo(request);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->inserted, 0);
  EXPECT_EQ(second->duplicates, 5000);
  ReportRequest by_year;
  by_year.by = {"year"};
  Result<report::Table> table = service_->NpsReport(by_year);
  ASSERT_TRUE(table.ok());
  EXPECT_EQ(table->rows.size(), 6u);  // 2020..2025
}

TEST_F(ServiceTest, ParallelFirstLoadGivesTheSameEngineAsASerialOne) {
  DemoRequest request;
  request.responses = 3000;
  ASSERT_TRUE(service_->GenerateDemo(request).ok());
  service_.reset();
  auto report = [&](int64_t parallel_from, std::string question) {
    ServiceOptions options;
    options.parallel_load_from = parallel_from;
    std::unique_ptr<Service> service = std::move(Service::Open((dir_ / "s.db").string(), false, options)).value();
    EXPECT_EQ((*service->engine())->rows(), 3000u);
    ReportRequest by;
    by.by = {"year", "channel"};
    by.min_n = 1;
    std::string out = report::Render(*service->NpsReport(by), report::Format::kCsv);
    if (!question.empty()) out += report::Render(*service->ShareReport(question, by), report::Format::kCsv);
    return out;
  };
  std::string serial = report(1000000, "information");
  std::string parallel = report(1, "information");
  EXPECT_EQ(serial, parallel);
  EXPECT_NE(serial.find("2025,web"), std::string::npos) << serial;
}

TEST_F(ServiceTest, BadReportParametersNameTheParameter) {
  DemoRequest request;
  request.responses = 100;
  ASSERT_TRUE(service_->GenerateDemo(request).ok());
  ReportRequest bad_from;
  bad_from.from = "2024-13-01";
  Result<report::Table> r = service_->NpsReport(bad_from);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("from"), std::string::npos);
  ReportRequest bad_unit;
  bad_unit.unit = "NOPE";
  EXPECT_EQ(service_->NpsReport(bad_unit).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace mittari
