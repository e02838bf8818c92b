#include "service/service.h"

#include <fmt/format.h>

#include <chrono>
#include <thread>
#include <iterator>

#include "demo/demo.h"
#include "ingest/pipeline.h"

namespace mittari {
namespace {

UnixSeconds Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::vector<report::Cell> LabelCells(const std::vector<Dimension>& by,
                                     const std::vector<GroupLabel>& labels) {
  std::vector<report::Cell> cells;
  for (size_t i = 0; i < by.size(); ++i) {
    cells.emplace_back(labels[i].value);
    if (by[i] <= Dimension::kArea) cells.emplace_back(labels[i].name);
  }
  return cells;
}

std::vector<std::string> LabelColumns(const std::vector<Dimension>& by) {
  std::vector<std::string> columns;
  for (Dimension d : by) {
    columns.emplace_back(DimensionName(d));
    if (d <= Dimension::kArea) columns.push_back(std::string(DimensionName(d)) + "_name");
  }
  return columns;
}

report::Cell Maybe(bool shown, int64_t value) {
  return shown ? report::Cell(value) : report::Cell();
}

}  // namespace

Result<std::unique_ptr<Service>> Service::Open(const std::string& db_path, bool create_if_missing,
                                               ServiceOptions service_options) {
  SqliteOptions options;
  options.create_if_missing = create_if_missing;
  ASSIGN_OR_RETURN(std::unique_ptr<Store> store, OpenSqliteStore(db_path, options));
  Result<std::shared_ptr<const text::CommentAnalyzer>> analyzer = text::CommentAnalyzer::Shared();
  if (!analyzer.ok()) {
    return analyzer.status().WithContext(
        "loading the comment lexicons (data/lexicon/, data/language/; set MITTARI_DATA_DIR to the data folder)");
  }
  return std::unique_ptr<Service>(new Service(db_path, std::move(store), service_options, *analyzer));
}

Result<OrgTree> Service::LoadTree() {
  ASSIGN_OR_RETURN(std::vector<Unit> units, store_->LoadUnits());
  Result<OrgTree> tree = OrgTree::Build(std::move(units));
  if (!tree.ok()) return DataLossError("the stored units do not form a valid tree: " + tree.status().message());
  return tree;
}

Result<const Engine*> Service::engine() {
  {
    // The common case: already loaded; readers must not queue behind each other here.
    std::shared_lock shared(engine_mu_);
    if (engine_) return engine_.get();
  }
  std::unique_lock engine_lock(engine_mu_);
  if (!engine_) {
    {
      std::lock_guard store_lock(store_mu_);
      ASSIGN_OR_RETURN(OrgTree tree, LoadTree());
      engine_ = std::make_unique<Engine>(std::move(tree));
      ++engine_generation_;
    }
    Status status = [&]() -> Status {
      int64_t max_id = 0;
      {
        std::lock_guard store_lock(store_mu_);
        ASSIGN_OR_RETURN(max_id, store_->MaxResponseId());
      }
      if (max_id >= options_.parallel_load_from) RETURN_IF_ERROR(LoadInParallel(max_id));
      RETURN_IF_ERROR(CatchUpLocked());
      engine_->ShrinkToFit();
      return Status::Ok();
    }();
    if (!status.ok()) {
      engine_.reset();
      return status.WithContext("loading answers into the engine");
    }
  }
  return engine_.get();
}

Status Service::LoadInParallel(int64_t up_to_id) {
  const int64_t middle = up_to_id / 2;
  std::vector<Engine::PreparedRow> upper;
  Status upper_status;
  std::thread worker([&] {
    SqliteOptions options;
    options.create_if_missing = false;
    Result<std::unique_ptr<Store>> reader = OpenSqliteStore(db_path_, options);
    if (!reader.ok()) {
      upper_status = reader.status();
      return;
    }
    upper.reserve(static_cast<size_t>(up_to_id - middle));
    upper_status = (*reader)->ScanResponseFacts(middle, up_to_id, [&](const ResponseFacts& facts) -> Status {
      ASSIGN_OR_RETURN(Engine::PreparedRow row, engine_->Prepare(facts));
      upper.push_back(row);
      return Status::Ok();
    });
  });
  std::unique_lock store_lock(store_mu_);
  Status lower_status = store_->ScanResponseFacts(
      0, middle, [&](const ResponseFacts& facts) { return engine_->Append(facts); });
  worker.join();
  RETURN_IF_ERROR(lower_status);
  RETURN_IF_ERROR(upper_status);
  for (const Engine::PreparedRow& row : upper) RETURN_IF_ERROR(engine_->AppendPrepared(row));
  RETURN_IF_ERROR(store_->ScanScaleAnswers(0, up_to_id, [&](const StoredScaleAnswer& answer) {
    return engine_->AppendScale(answer.response_id, answer.question, answer.value);
  }));
  engine_->Seal();
  return Status::Ok();
}

Status Service::CatchUp() {
  std::unique_lock engine_lock(engine_mu_);
  return CatchUpLocked();
}

Status Service::CatchUpLocked() {
  if (!engine_) return Status::Ok();
  std::lock_guard store_lock(store_mu_);
  const int64_t after = engine_->last_response_id();
  // Both scans stop at the same id, so a commit landing between them cannot bring scale
  // answers of responses the engine has not seen.
  ASSIGN_OR_RETURN(int64_t up_to, store_->MaxResponseId());
  if (up_to <= after) return Status::Ok();
  RETURN_IF_ERROR(store_->ScanResponseFacts(
      after, up_to, [&](const ResponseFacts& facts) { return engine_->Append(facts); }));
  RETURN_IF_ERROR(store_->ScanScaleAnswers(after, up_to, [&](const StoredScaleAnswer& answer) {
    return engine_->AppendScale(answer.response_id, answer.question, answer.value);
  }));
  engine_->Seal();
  return Status::Ok();
}

Result<ImportSummary> Service::ImportUnits(const std::string& path, const ImportOptions& options) {
  std::unique_lock engine_lock(engine_mu_);
  std::lock_guard store_lock(store_mu_);
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::OpenFile(path));
  ASSIGN_OR_RETURN(ImportSummary summary, ImportUnitsCsv(*store_, *reader, options));
  engine_.reset();  // the tree changed: the next query reloads against it
  return summary;
}

Result<ImportSummary> Service::ImportResponses(const std::string& path, const ImportOptions& options) {
  std::unique_lock engine_lock(engine_mu_);
  std::unique_lock store_lock(store_mu_);
  ASSIGN_OR_RETURN(OrgTree tree, LoadTree());
  if (tree.size() == 0) {
    return FailedPreconditionError("no units are stored yet; import units first (mittari import units FILE.csv)");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::OpenFile(path));
  ImportOptions with_clock = options;
  if (with_clock.now == 0) with_clock.now = Now();
  with_clock.analyzer = analyzer_.get();
  ASSIGN_OR_RETURN(ImportSummary summary, ImportResponsesCsv(*store_, tree, *reader, with_clock));
  store_lock.unlock();
  RETURN_IF_ERROR(CatchUpLocked());
  return summary;
}

Result<Query> Service::ToQuery(const Engine& engine, const ReportRequest& request) const {
  Query query;
  query.unit_code = request.unit;
  if (request.from) {
    Result<LocalDay> day = ParseLocalDate(*request.from);
    if (!day.ok()) return day.status().WithContext("from");
    query.from = *day;
  }
  if (request.to) {
    Result<LocalDay> day = ParseLocalDate(*request.to);
    if (!day.ok()) return day.status().WithContext("to");
    query.to = *day;
  }
  for (const std::string& name : request.by) {
    ASSIGN_OR_RETURN(Dimension d, ParseDimension(name));
    query.group_by.push_back(d);
  }
  for (const std::string& text : request.where) {
    ASSIGN_OR_RETURN(DimensionFilter filter, engine.ParseWhere(text));
    query.where.push_back(std::move(filter));
  }
  query.min_n = request.min_n;
  query.current_structure = request.current_structure;
  std::optional<Language> language = ParseEnum<Language>(request.names_language);
  if (!language || *language == Language::kOther) {
    return InvalidArgumentError(fmt::format("names language '{}' must be fi, sv or en", request.names_language));
  }
  query.name_language = *language;
  return query;
}

static std::string ReportCacheKey(const ReportRequest& r) {
  std::string key = fmt::format("{}|{}|{}|{}|{}|{}|", r.unit.value_or("*"), r.from.value_or("*"),
                                r.to.value_or("*"), r.min_n, r.current_structure, r.names_language);
  for (const std::string& b : r.by) key += b + ",";
  key += "|";
  for (const std::string& w : r.where) key += w + ";";
  return key;
}

// Employee answers come from small, known teams. Besides the minimum group size, a figure for
// a unit must not let anyone subtract it from its parent's figure and learn about fewer than
// min_n colleagues outside it; and a breakdown with a single suppressed group would reveal it
// as the total minus the others, so one more group is suppressed with it.
static bool IsEmployeeRequest(const ReportRequest& request) {
  for (const std::string& w : request.where) {
    if (w.rfind("survey=", 0) == 0 && w.find("employee") != std::string::npos) return true;
  }
  return false;
}

Status Service::CheckEmployeeComplement(const Engine& engine, const ReportRequest& request) {
  if (!IsEmployeeRequest(request) || !request.unit) return Status::Ok();
  std::optional<UnitIndex> unit = engine.tree().Find(*request.unit);
  if (!unit || engine.tree().parent(*unit) == *unit || *unit == 0) return Status::Ok();
  const UnitIndex parent = engine.tree().parent(*unit);
  auto count = [&](const std::string& code) -> Result<int64_t> {
    ReportRequest whole = request;
    whole.unit = code;
    whole.by.clear();
    whole.min_n = 1;
    ASSIGN_OR_RETURN(Query query, ToQuery(engine, whole));
    ASSIGN_OR_RETURN(std::vector<NpsGroup> groups, engine.Nps(query));
    return groups.empty() ? 0 : groups[0].counts.n();
  };
  ASSIGN_OR_RETURN(int64_t inside, count(*request.unit));
  ASSIGN_OR_RETURN(int64_t around, count(engine.tree().unit(parent).code));
  const int64_t outside = around - inside;
  if (outside > 0 && outside < std::max(request.min_n, kEmployeeMinGroup)) {
    return FailedPreconditionError(fmt::format(
        "refused: with the figure for {} this would reveal the answers of fewer than {} employees "
        "outside {}; ask for {} instead", engine.tree().unit(parent).code,
        std::max(request.min_n, kEmployeeMinGroup), *request.unit, engine.tree().unit(parent).code));
  }
  return Status::Ok();
}

template <typename Group>
static void SuppressComplement(std::vector<Group>& groups) {
  size_t suppressed = 0;
  for (const Group& g : groups) suppressed += g.suppressed ? 1 : 0;
  if (suppressed != 1 || groups.size() < 2) return;
  Group* smallest = nullptr;
  for (Group& g : groups) {
    if (g.suppressed) continue;
    if (smallest == nullptr || g.counts.n() < smallest->counts.n()) smallest = &g;
  }
  if (smallest == nullptr) return;
  smallest->suppressed = true;
  smallest->estimate.reset();
  smallest->counts = {};
}

Result<report::Table> Service::NpsReport(const ReportRequest& request) {
  RETURN_IF_ERROR(engine().status());
  std::shared_lock engine_lock(engine_mu_);
  const Engine* engine = engine_.get();
  RETURN_IF_ERROR(CheckEmployeeComplement(*engine, request));
  // Dashboards ask the same questions again and again; an answer is reused only while the
  // engine holds exactly the rows it was computed from.
  const std::string cache_key = ReportCacheKey(request);
  const uint64_t version = static_cast<uint64_t>(engine->last_response_id()) ^ (engine_generation_ << 48);
  {
    std::lock_guard cache_lock(cache_mu_);
    auto hit = report_cache_.find(cache_key);
    if (hit != report_cache_.end() && hit->second.first == version) return hit->second.second;
  }
  ASSIGN_OR_RETURN(Query query, ToQuery(*engine, request));
  ASSIGN_OR_RETURN(std::vector<NpsGroup> groups, engine->Nps(query));
  if (IsEmployeeRequest(request)) SuppressComplement(groups);
  report::Table table;
  table.columns = LabelColumns(query.group_by);
  for (const char* c : {"n", "promoters", "passives", "detractors", "nps", "ci_low", "ci_high", "suppressed"}) {
    table.columns.emplace_back(c);
  }
  for (const NpsGroup& g : groups) {
    std::vector<report::Cell> row = LabelCells(query.group_by, g.labels);
    bool shown = g.estimate.has_value();
    row.push_back(Maybe(shown, g.counts.n()));
    row.push_back(Maybe(shown, g.counts.promoters));
    row.push_back(Maybe(shown, g.counts.passives));
    row.push_back(Maybe(shown, g.counts.detractors));
    if (shown) {
      row.emplace_back(report::Decimal{g.estimate->value, 1});
      row.emplace_back(report::Decimal{g.estimate->ci_low, 1});
      row.emplace_back(report::Decimal{g.estimate->ci_high, 1});
    } else {
      row.insert(row.end(), 3, report::Cell());
    }
    row.emplace_back(g.suppressed);
    table.rows.push_back(std::move(row));
  }
  {
    constexpr size_t kMaxCachedReports = 2000;
    std::lock_guard cache_lock(cache_mu_);
    if (report_cache_.size() >= kMaxCachedReports) report_cache_.clear();
    report_cache_[cache_key] = {version, table};
  }
  return table;
}

Result<report::Table> Service::ShareReport(const std::string& question, const ReportRequest& request) {
  RETURN_IF_ERROR(engine().status());
  std::shared_lock engine_lock(engine_mu_);
  const Engine* engine = engine_.get();
  RETURN_IF_ERROR(CheckEmployeeComplement(*engine, request));
  ASSIGN_OR_RETURN(Query query, ToQuery(*engine, request));
  ASSIGN_OR_RETURN(std::vector<ShareGroup> groups, engine->Share(question, query));
  if (IsEmployeeRequest(request)) {
    // ShareCounts has n as a field; the same rule applies.
    size_t suppressed = 0;
    for (const ShareGroup& g : groups) suppressed += g.suppressed ? 1 : 0;
    if (suppressed == 1 && groups.size() >= 2) {
      ShareGroup* smallest = nullptr;
      for (ShareGroup& g : groups) {
        if (!g.suppressed && (smallest == nullptr || g.counts.n < smallest->counts.n)) smallest = &g;
      }
      if (smallest != nullptr) {
        smallest->suppressed = true;
        smallest->estimate.reset();
        smallest->counts = {};
      }
    }
  }
  report::Table table;
  table.columns = LabelColumns(query.group_by);
  for (const char* c : {"n", "top2", "share", "ci_low", "ci_high", "suppressed"}) table.columns.emplace_back(c);
  for (const ShareGroup& g : groups) {
    std::vector<report::Cell> row = LabelCells(query.group_by, g.labels);
    bool shown = g.estimate.has_value();
    row.push_back(Maybe(shown, g.counts.n));
    row.push_back(Maybe(shown, g.counts.hits));
    if (shown) {
      row.emplace_back(report::Decimal{g.estimate->value, 1});
      row.emplace_back(report::Decimal{g.estimate->ci_low, 1});
      row.emplace_back(report::Decimal{g.estimate->ci_high, 1});
    } else {
      row.insert(row.end(), 3, report::Cell());
    }
    row.emplace_back(g.suppressed);
    table.rows.push_back(std::move(row));
  }
  return table;
}

Result<report::Table> Service::UnitsReport() {
  std::unique_lock store_lock(store_mu_);
  ASSIGN_OR_RETURN(OrgTree tree, LoadTree());
  store_lock.unlock();
  report::Table table;
  table.columns = {"code", "parent", "kind", "depth", "name_fi", "name_sv", "name_en",
                   "valid_from", "valid_to", "successor"};
  for (size_t i = 0; i < tree.size(); ++i) {
    const Unit& u = tree.unit(static_cast<UnitIndex>(i));
    auto date = [](const std::optional<LocalDay>& d) {
      return d ? report::Cell(FormatLocalDate(*d)) : report::Cell();
    };
    table.rows.push_back({u.code, u.parent_code, std::string(ToName(u.kind)),
                          static_cast<int64_t>(tree.depth(static_cast<UnitIndex>(i))), u.name_fi,
                          u.name_sv, u.name_en, date(u.valid_from), date(u.valid_to),
                          u.successor_code.empty() ? report::Cell() : report::Cell(u.successor_code)});
  }
  return table;
}

Status Service::ExportFacts(std::FILE* out) {
  std::lock_guard store_lock(store_mu_);
  ASSIGN_OR_RETURN(OrgTree tree, LoadTree());
  auto code_of = [&](std::optional<UnitIndex> index) -> std::string_view {
    return index ? std::string_view(tree.unit(*index).code) : std::string_view();
  };
  std::string buffer = "unit,centre,area,local_date,channel,language,visit_type,age_group,survey,score\n";
  const HelsinkiCalendar& calendar = HelsinkiCalendar::Get();
  auto flush = [&]() -> Status {
    if (std::fwrite(buffer.data(), 1, buffer.size(), out) != buffer.size()) {
      return UnavailableError("cannot write the export (disk full or pipe closed?)");
    }
    buffer.clear();
    return Status::Ok();
  };
  RETURN_IF_ERROR(store_->ScanResponseFacts(0, [&](const ResponseFacts& f) -> Status {
    std::optional<UnitIndex> unit = tree.Find(f.unit_code);
    if (!unit) return DataLossError(fmt::format("response {} has unknown unit '{}'", f.id, f.unit_code));
    UnitIndex current = tree.CurrentSuccessor(*unit);
    fmt::format_to(std::back_inserter(buffer), "{},{},{},{},{},{},{},{},{},{}\n", code_of(current),
                   code_of(tree.AncestorOfKind(current, UnitKind::kCentre)),
                   code_of(tree.AncestorOfKind(current, UnitKind::kArea)),
                   FormatLocalDate(calendar.DayOf(f.answered_at)), ToName(f.channel), ToName(f.language),
                   ToName(f.visit_type), ToName(f.age_group), ToName(f.survey), f.score);
    constexpr size_t kFlushBytes = 1 << 20;
    if (buffer.size() >= kFlushBytes) return flush();
    return Status::Ok();
  }));
  return flush();
}

Result<report::Table> Service::ThemesReport(const ReportRequest& request) {
  RETURN_IF_ERROR(engine().status());
  std::shared_lock engine_lock(engine_mu_);
  ASSIGN_OR_RETURN(Query query, ToQuery(*engine_, request));
  ASSIGN_OR_RETURN(std::vector<ThemeNpsGroup> groups, engine_->ThemeNps(query));
  report::Table table;
  table.columns = LabelColumns(query.group_by);
  for (const char* c : {"theme", "n", "share", "detractor_share", "promoter_share", "promoters", "passives",
                        "detractors", "nps", "ci_low", "ci_high", "suppressed"}) {
    table.columns.emplace_back(c);
  }
  auto ratio = [](int64_t part, int64_t whole) -> report::Cell {
    if (whole <= 0) return report::Cell();
    return report::Decimal{100.0 * static_cast<double>(part) / static_cast<double>(whole), 1};
  };
  const ThemeNpsGroup* baseline = nullptr;
  for (const ThemeNpsGroup& g : groups) {
    if (!g.theme) baseline = &g;
    std::vector<report::Cell> row = LabelCells(query.group_by, g.labels);
    row.emplace_back(g.theme ? std::string(ToName(*g.theme)) : std::string("(all comments)"));
    const bool shown = g.estimate.has_value() && baseline != nullptr && baseline->estimate.has_value();
    row.push_back(Maybe(shown, g.counts.n()));
    if (shown) {
      row.push_back(ratio(g.counts.n(), baseline->counts.n()));
      row.push_back(ratio(g.counts.detractors, baseline->counts.detractors));
      row.push_back(ratio(g.counts.promoters, baseline->counts.promoters));
    } else {
      row.insert(row.end(), 3, report::Cell());
    }
    row.push_back(Maybe(shown, g.counts.promoters));
    row.push_back(Maybe(shown, g.counts.passives));
    row.push_back(Maybe(shown, g.counts.detractors));
    if (shown) {
      row.emplace_back(report::Decimal{g.estimate->value, 1});
      row.emplace_back(report::Decimal{g.estimate->ci_low, 1});
      row.emplace_back(report::Decimal{g.estimate->ci_high, 1});
    } else {
      row.insert(row.end(), 3, report::Cell());
    }
    row.emplace_back(!shown);
    table.rows.push_back(std::move(row));
  }
  return table;
}

Result<int64_t> Service::ReanalyzeComments(const std::function<void(int64_t done)>& on_progress) {
  std::unique_lock engine_lock(engine_mu_);
  std::lock_guard store_lock(store_mu_);
  std::vector<CommentAnalysisUpdate> batch;
  int64_t done = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::Ok();
    RETURN_IF_ERROR(store_->UpdateCommentAnalyses(batch));
    done += static_cast<int64_t>(batch.size());
    batch.clear();
    if (on_progress) on_progress(done);
    return Status::Ok();
  };
  // Collected first, written after: the scan's statement must be finished before the writes.
  std::vector<CommentAnalysisUpdate> all;
  RETURN_IF_ERROR(store_->ScanComments(0, [&](const StoredComment& c) {
    text::CommentAnalysis analysis = analyzer_->Analyze(c.text, c.language);
    all.push_back(CommentAnalysisUpdate{c.response_id, analysis.themes, analysis.sentiment, analysis.language});
    return Status::Ok();
  }));
  constexpr size_t kBatch = 20000;
  for (CommentAnalysisUpdate& u : all) {
    batch.push_back(u);
    if (batch.size() >= kBatch) RETURN_IF_ERROR(flush());
  }
  RETURN_IF_ERROR(flush());
  engine_.reset();  // every row's themes may have changed: the next query reloads
  ++engine_generation_;
  return done;
}

Result<ResponseWriteStats> Service::GenerateDemo(const DemoRequest& request) {
  std::unique_lock engine_lock(engine_mu_);
  std::lock_guard store_lock(store_mu_);
  std::vector<Unit> units = demo::GenerateUnits(request.seed);
  ASSIGN_OR_RETURN(OrgTree tree, OrgTree::Build(units));
  ASSIGN_OR_RETURN(UnitWriteStats unit_stats, store_->UpsertUnits(units));
  (void)unit_stats;
  engine_.reset();
  demo::DemoOptions options;
  options.responses = request.responses;
  options.seed = request.seed;
  IngestContext context{&tree, Now(), analyzer_.get()};
  ResponseWriteStats total;
  int64_t done = 0;
  constexpr size_t kBatch = 20000;
  RETURN_IF_ERROR(demo::GenerateResponses(units, options, kBatch, [&](std::vector<Response>& batch) -> Status {
    // The demo takes the same door as every other channel; preparing (redaction and comment
    // analysis) is the costly part, so both cores share it.
    std::optional<FieldError> errors[2];
    size_t failed_at[2] = {0, 0};
    auto prepare = [&](size_t part, size_t begin, size_t end) {
      for (size_t i = begin; i < end; ++i) {
        if ((errors[part] = PrepareResponse(context, batch[i]))) {
          failed_at[part] = i;
          return;
        }
      }
    };
    const size_t middle = batch.size() / 2;
    std::thread second(prepare, 1, middle, batch.size());
    prepare(0, 0, middle);
    second.join();
    for (size_t part = 0; part < 2; ++part) {
      if (errors[part]) {
        return InternalError(fmt::format("demo response {} is invalid: {} {}", batch[failed_at[part]].external_id,
                                         errors[part]->field, errors[part]->reason));
      }
    }
    ASSIGN_OR_RETURN(ResponseWriteStats stats, CommitResponses(*store_, batch));
    total.inserted += stats.inserted;
    total.duplicates += stats.duplicates;
    done += static_cast<int64_t>(batch.size());
    if (request.on_progress) request.on_progress(done, request.responses);
    return Status::Ok();
  }));
  if (request.staff_survey) {
    // The staff survey (eNPS) of the same district, for the scorecard's workplace goals.
    RETURN_IF_ERROR(demo::GenerateEmployeeAnswers(units, request.seed, kBatch, [&](std::vector<Response>& batch) -> Status {
      for (Response& r : batch) {
        if (std::optional<FieldError> error = PrepareResponse(context, r)) {
          return InternalError(fmt::format("demo staff answer {} is invalid: {} {}", r.external_id, error->field, error->reason));
        }
      }
      ASSIGN_OR_RETURN(ResponseWriteStats stats, CommitResponses(*store_, batch));
      total.employee_inserted += stats.inserted;
      return Status::Ok();
    }));
  }
  return total;
}

}  // namespace mittari
