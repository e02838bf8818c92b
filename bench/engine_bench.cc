// Google Benchmark micro-benchmarks for the engine's scan/aggregate kernels: 6,000,000
// answers over the demo district's tree, generated in memory (no store involved), and the
// four queries of bench/compare plus a few shapes that stress other paths.
#include <benchmark/benchmark.h>

#include "analytics/engine.h"
#include "demo/demo.h"

namespace mittari {
namespace {

constexpr int64_t kRows = 6000000;

Engine& DemoEngine() {
  static Engine* engine = [] {
    std::vector<Unit> units = demo::GenerateUnits(1);
    auto* e = new Engine(*OrgTree::Build(units));
    demo::DemoOptions options;
    options.responses = kRows;
    int64_t id = 0;
    Status status = demo::GenerateResponses(units, options, 100000, [&](std::vector<Response>& batch) {
      for (const Response& r : batch) {
        ResponseFacts f;
        f.id = ++id;
        f.unit_code = r.unit_code;
        f.survey = r.survey;
        f.answered_at = r.answered_at;
        f.channel = r.channel;
        f.language = r.language;
        f.visit_type = r.visit_type;
        f.age_group = r.age_group;
        f.score = r.score;
        RETURN_IF_ERROR(e->Append(f));
      }
      return Status::Ok();
    });
    if (!status.ok()) std::abort();
    e->Seal();
    e->ShrinkToFit();
    return e;
  }();
  return *engine;
}

void RunQuery(benchmark::State& state, Query query, int threads) {
  Engine* engine = &DemoEngine();
  EngineOptions options;
  options.threads = threads;
  engine->set_options(options);
  query.min_n = 1;
  for (auto _ : state) {
    Result<std::vector<NpsGroup>> rows = engine->Nps(query);
    benchmark::DoNotOptimize(rows);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(engine->rows()));
  state.counters["bytes_per_answer"] = static_cast<double>(engine->memory_bytes()) / static_cast<double>(engine->rows());
}

Query Q1() {
  Query q;
  q.group_by = {Dimension::kMonth};
  return q;
}
Query Q2(const Engine& e) {
  Query q;
  q.group_by = {Dimension::kUnit};
  q.from = *ParseLocalDate("2024-01-01");
  q.to = *ParseLocalDate("2024-12-31");
  q.where.push_back(*e.ParseWhere("channel=sms"));
  return q;
}
Query Q3() {
  Query q;
  q.group_by = {Dimension::kArea, Dimension::kQuarter, Dimension::kVisitType};
  q.from = *ParseLocalDate("2023-01-01");
  q.to = *ParseLocalDate("2024-12-31");
  return q;
}
Query Q4(const Engine& e) {
  Query q;
  q.unit_code = "A12";
  q.group_by = {Dimension::kMonth};
  q.where.push_back(*e.ParseWhere("language=sv"));
  return q;
}
Query ByUnitAndDay() {
  Query q;
  q.group_by = {Dimension::kUnit, Dimension::kDay};  // ~900,000 groups: dense array
  return q;
}
Query ByEverything() {
  Query q;  // beyond the dense limit: hash aggregation
  q.group_by = {Dimension::kUnit, Dimension::kDay, Dimension::kAgeGroup, Dimension::kChannel};
  q.from = *ParseLocalDate("2025-10-01");
  q.to = *ParseLocalDate("2025-12-31");
  return q;
}

void BM_Q1_NpsPerMonth(benchmark::State& s) { RunQuery(s, Q1(), static_cast<int>(s.range(0))); }
void BM_Q2_NpsPerUnit2024Sms(benchmark::State& s) { RunQuery(s, Q2(DemoEngine()), static_cast<int>(s.range(0))); }
void BM_Q3_AreaQuarterVisitType(benchmark::State& s) { RunQuery(s, Q3(), static_cast<int>(s.range(0))); }
void BM_Q4_OneAreaSwedishPerMonth(benchmark::State& s) { RunQuery(s, Q4(DemoEngine()), static_cast<int>(s.range(0))); }
void BM_UnitByDay(benchmark::State& s) { RunQuery(s, ByUnitAndDay(), static_cast<int>(s.range(0))); }
void BM_HashAggregation(benchmark::State& s) { RunQuery(s, ByEverything(), static_cast<int>(s.range(0))); }

BENCHMARK(BM_Q1_NpsPerMonth)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Q2_NpsPerUnit2024Sms)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Q3_AreaQuarterVisitType)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Q4_OneAreaSwedishPerMonth)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UnitByDay)->Arg(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_HashAggregation)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace mittari

BENCHMARK_MAIN();
