// Comment analysis speed: comments analysed per second per core, on comments of about 100
// characters in Finnish, Swedish and English (the demo generator's), redacted first as at
// ingest. Goal: at least 100,000 comments/s on one core. Printed, never asserted.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "demo/comments.h"
#include "text/analyzer.h"
#include "text/redact.h"

namespace mittari {
namespace {

// About 100-character comments: demo comments joined or cut to length.
const std::vector<std::pair<std::string, Language>>& Comments() {
  static const std::vector<std::pair<std::string, Language>> comments = [] {
    std::vector<std::pair<std::string, Language>> out;
    demo::internal::Rng rng(42);
    const Language languages[] = {Language::kFi, Language::kSv, Language::kEn};
    std::string text, more;
    for (int i = 0; out.size() < 20000; ++i) {
      Language language = languages[i % 3];
      int score = static_cast<int>(rng.Next() % 11);
      demo::internal::WriteComment(rng, language, score, demo::internal::StaffClass::kClinic, i % 7 == 0, text);
      while (text.size() < 90) {
        demo::internal::WriteComment(rng, language, score, demo::internal::StaffClass::kClinic, false, more);
        text += " " + more;
      }
      if (text.size() > 110) {
        size_t cut = text.rfind(' ', 105);
        text.resize(cut == std::string::npos ? 105 : cut);
      }
      out.emplace_back(text, language);
    }
    return out;
  }();
  return comments;
}

const text::CommentAnalyzer& Analyzer() {
  static std::shared_ptr<const text::CommentAnalyzer> analyzer = [] {
    auto loaded = text::CommentAnalyzer::Shared();
    if (!loaded.ok()) {
      std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
      std::abort();
    }
    return *loaded;
  }();
  return *analyzer;
}

void BM_AnalyzeComment(benchmark::State& state) {
  const auto& comments = Comments();
  const text::CommentAnalyzer& analyzer = Analyzer();
  size_t i = static_cast<size_t>(state.thread_index()) * 997, bytes = 0;
  for (auto _ : state) {
    const auto& [comment, language] = comments[i++ % comments.size()];
    text::CommentAnalysis a = analyzer.Analyze(comment, language);
    benchmark::DoNotOptimize(a);
    bytes += comment.size();
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_AnalyzeComment)->Threads(1)->Threads(2)->UseRealTime();

void BM_RedactAndAnalyzeComment(benchmark::State& state) {
  const auto& comments = Comments();
  const text::CommentAnalyzer& analyzer = Analyzer();
  size_t i = 0;
  for (auto _ : state) {
    const auto& [comment, language] = comments[i++ % comments.size()];
    std::string redacted = text::RedactPersonalData(comment);
    text::CommentAnalysis a = analyzer.Analyze(redacted, language);
    benchmark::DoNotOptimize(a);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RedactAndAnalyzeComment);

}  // namespace
}  // namespace mittari

BENCHMARK_MAIN();
