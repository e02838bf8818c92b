// The strategy scorecard's use-cases: each indicator's outcome for a year — sampled measures
// from the engine, manual ones from the store, formulas from other indicators — judged
// against its target, and rendered in the reader's language.
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "common/csv.h"
#include "scorecard/formula.h"
#include "service/service.h"

namespace mittari {
namespace {

UnixSeconds NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Minimum group sizes: employee figures are stricter, as a team is small and known.
constexpr int kPatientMinN = kDefaultMinN;
constexpr int kEmployeeMinN = 5;

struct Labels {
  const char* focal_point;
  const char* goal;
  const char* indicator;
  const char* target;
  const char* outcome;
  const char* status;
  const char* significance;
  std::array<const char*, 5> verdicts;  // by Verdict
  std::array<const char*, 3> significances;
  const char* yes;
  const char* no;
  const char* year_to_date;
};

const Labels& LabelsFor(std::string_view lang) {
  static const Labels fi{"Painopiste", "Tavoite", "Mittari", "Tavoitetaso", "Toteuma", "Tila", "Luotettavuus",
                         {"Saavutettiin", "Ei saavutettu", "Ei tietoa", "Tavoitteessa", "Jäljessä tavoitteesta"},
                         {"", "selvä", "luottamusvälin sisällä"}, "kyllä", "ei", "vuoden alusta"};
  static const Labels sv{"Fokusområde", "Mål", "Mätare", "Målnivå", "Utfall", "Status", "Tillförlitlighet",
                         {"Uppnåddes", "Uppnåddes inte", "Uppgift saknas", "På rätt väg", "Efter målet"},
                         {"", "tydlig", "inom konfidensintervallet"}, "ja", "nej", "hittills i år"};
  static const Labels en{"Focal point", "Goal", "Indicator", "Target", "Outcome", "Status", "Certainty",
                         {"Achieved", "Not achieved", "No data", "On track", "Off track"},
                         {"", "clear", "within the 95% interval"}, "yes", "no", "year to date"};
  if (lang == "sv") return sv;
  if (lang == "en") return en;
  return fi;
}

int DecimalsFor(scorecard::MeasureUnit unit, double value) {
  switch (unit) {
    case scorecard::MeasureUnit::kCount:
    case scorecard::MeasureUnit::kRank:
    case scorecard::MeasureUnit::kYesNo:
      return 0;
    case scorecard::MeasureUnit::kEuro:
      return std::fabs(value) >= 1000 ? 0 : 2;
    case scorecard::MeasureUnit::kPoints:
      return std::fabs(value) >= 1000 ? 0 : 1;
    default:
      return 1;
  }
}

std::string FormatValue(const scorecard::Indicator& indicator, double value, std::string_view lang) {
  const Labels& labels = LabelsFor(lang);
  if (indicator.unit == scorecard::MeasureUnit::kYesNo) return value >= 0.5 ? labels.yes : labels.no;
  std::string number = report::FormatNumber(value, DecimalsFor(indicator.unit, value), lang);
  switch (indicator.unit) {
    case scorecard::MeasureUnit::kPercent: return number + (lang == "en" ? "%" : "\u00a0%");
    case scorecard::MeasureUnit::kEuro: return number + "\u00a0€";
    default: return number;
  }
}

std::string FormatTargetIn(const scorecard::Indicator& indicator, const scorecard::Target& t, std::string_view lang) {
  using scorecard::Comparator;
  // Targets are round numbers as leadership wrote them: "> 70", not "> 70,0".
  auto bound = [&](double v) {
    if (indicator.unit == scorecard::MeasureUnit::kYesNo || v != std::floor(v)) return FormatValue(indicator, v, lang);
    std::string number = report::FormatNumber(v, 0, lang);
    if (indicator.unit == scorecard::MeasureUnit::kPercent) return number + (lang == "en" ? "%" : "\u00a0%");
    if (indicator.unit == scorecard::MeasureUnit::kEuro) return number + "\u00a0€";
    return number;
  };
  if (t.op == Comparator::kYes) return FormatValue(indicator, t.value, lang);
  if (t.op == Comparator::kBetween) return bound(t.value) + "–" + bound(t.value_high);
  return std::string(ToName(t.op)) + " " + bound(t.value);
}

}  // namespace

Result<std::vector<ScorecardRow>> Service::EvaluateScorecard(const scorecard::Scorecard& card, int year) {
  RETURN_IF_ERROR(engine().status());
  ASSIGN_OR_RETURN(std::vector<ScorecardValue> stored, [&]() -> Result<std::vector<ScorecardValue>> {
    std::lock_guard store_lock(store_mu_);
    return store_->ListScorecardValues();
  }());
  std::map<std::pair<std::string, int>, double> manual;
  for (const ScorecardValue& v : stored) manual[{v.indicator_id, v.year}] = v.value;

  const HelsinkiCalendar& calendar = HelsinkiCalendar::Get();
  const LocalDay today = calendar.DayOf(NowSeconds());
  const int current_year = std::stoi(FormatLocalDate(today).substr(0, 4));

  // Outcomes by (indicator, year), computed once: formulas read other indicators, in any year.
  std::map<std::pair<std::string, int>, scorecard::Outcome> memo;
  std::set<std::pair<std::string, int>> in_progress;  // the loader rejects cycles; this guards anyway
  std::function<scorecard::Outcome(const scorecard::Indicator&, int)> outcome_of;
  outcome_of = [&](const scorecard::Indicator& indicator, int y) -> scorecard::Outcome {
    auto key = std::make_pair(indicator.id, y);
    if (auto it = memo.find(key); it != memo.end()) return it->second;
    scorecard::Outcome out;
    if (y > current_year || !in_progress.insert(key).second) return out;
    switch (indicator.source) {
      case scorecard::SourceKind::kManual: {
        if (auto it = manual.find(key); it != manual.end()) out.value = it->second;
        break;
      }
      case scorecard::SourceKind::kRegional: {
        Result<std::optional<double>> figure = RegionalFigure(indicator.metric, y);
        if (figure.ok()) out.value = *figure;
        break;
      }
      case scorecard::SourceKind::kFormula: {
        Result<scorecard::Formula> formula = scorecard::ParseFormula(indicator.formula);
        if (formula.ok()) {
          out.value = formula->Evaluate(y, [&](const std::string& id, int at) -> std::optional<double> {
            const scorecard::Indicator* other = card.Find(id);
            if (other == nullptr) return std::nullopt;
            return outcome_of(*other, at).value;
          });
        }
        break;
      }
      default: {
        ReportRequest request;
        request.unit = indicator.filter.unit;
        request.from = fmt::format("{}-01-01", y);
        request.to = y == current_year ? FormatLocalDate(today) : fmt::format("{}-12-31", y);
        request.where = indicator.filter.where;
        const bool employee = indicator.source == scorecard::SourceKind::kEnps ||
                              std::any_of(request.where.begin(), request.where.end(),
                                          [](const std::string& w) { return w.rfind("survey=employee", 0) == 0; });
        if (indicator.source == scorecard::SourceKind::kEnps) request.where.push_back("survey=employee");
        request.min_n = employee ? kEmployeeMinN : kPatientMinN;
        std::shared_lock engine_lock(engine_mu_);
        Result<Query> query = ToQuery(*engine_, request);
        if (!query.ok()) break;
        if (indicator.source == scorecard::SourceKind::kShare) {
          Result<std::vector<ShareGroup>> groups = engine_->Share(indicator.filter.question.value_or(""), *query);
          if (groups.ok() && groups->size() == 1 && (*groups)[0].estimate) {
            out.value = (*groups)[0].estimate->value;
            out.ci_low = (*groups)[0].estimate->ci_low;
            out.ci_high = (*groups)[0].estimate->ci_high;
          }
        } else {
          Result<std::vector<NpsGroup>> groups = engine_->Nps(*query);
          if (groups.ok() && groups->size() == 1 && (*groups)[0].estimate) {
            out.value = (*groups)[0].estimate->value;
            out.ci_low = (*groups)[0].estimate->ci_low;
            out.ci_high = (*groups)[0].estimate->ci_high;
          }
        }
        break;
      }
    }
    in_progress.erase(key);
    memo[key] = out;
    return out;
  };

  std::vector<ScorecardRow> rows;
  for (const scorecard::FocalPoint& focal : card.focal_points) {
    for (const scorecard::Goal& goal : focal.goals) {
      for (const scorecard::Indicator& indicator : goal.indicators) {
        ScorecardRow row;
        row.focal_point = &focal;
        row.goal = &goal;
        row.indicator = &indicator;
        row.year_in_progress = year == current_year;
        row.outcome = outcome_of(indicator, year);
        if (auto t = indicator.targets.find(year); t != indicator.targets.end()) {
          row.target = t->second;
          row.judgement = scorecard::Judge(t->second, row.outcome, row.year_in_progress);
        }
        for (int y = year - 4; y <= year; ++y) row.history.emplace_back(y, outcome_of(indicator, y).value);
        rows.push_back(std::move(row));
      }
    }
  }
  return rows;
}

report::Table ScorecardTable(const std::vector<ScorecardRow>& rows, std::string_view lang) {
  const Labels& labels = LabelsFor(lang);
  report::Table table;
  table.columns = {labels.focal_point, labels.goal, labels.indicator, labels.target, labels.outcome, labels.status,
                   labels.significance};
  for (const ScorecardRow& row : rows) {
    std::vector<report::Cell> cells;
    cells.emplace_back(row.focal_point->names.In(lang));
    cells.emplace_back(row.goal->names.In(lang));
    cells.emplace_back(row.indicator->names.In(lang));
    if (row.target) {
      cells.emplace_back(FormatTargetIn(*row.indicator, *row.target, lang));
    } else {
      cells.emplace_back();
    }
    if (row.outcome.value) {
      std::string outcome = FormatValue(*row.indicator, *row.outcome.value, lang);
      if (row.year_in_progress) outcome += std::string(" (") + labels.year_to_date + ")";
      cells.emplace_back(outcome);
    } else {
      cells.emplace_back();
    }
    if (row.target) {
      cells.emplace_back(std::string(labels.verdicts[static_cast<size_t>(row.judgement.verdict)]));
      cells.emplace_back(std::string(labels.significances[static_cast<size_t>(row.judgement.significance)]));
    } else {
      cells.insert(cells.end(), 2, report::Cell());
    }
    table.rows.push_back(std::move(cells));
  }
  return table;
}

nlohmann::json ScorecardJson(const std::vector<ScorecardRow>& rows, std::string_view lang) {
  nlohmann::json out = nlohmann::json::array();
  for (const ScorecardRow& row : rows) {
    nlohmann::json target = nullptr;
    if (row.target) {
      target = {{"op", std::string(ToName(row.target->op))}, {"value", row.target->value},
                {"value_high", row.target->op == scorecard::Comparator::kBetween ? nlohmann::json(row.target->value_high) : nlohmann::json(nullptr)}};
    }
    nlohmann::json history = nlohmann::json::array();
    for (const auto& [y, v] : row.history) history.push_back({{"year", y}, {"value", v ? nlohmann::json(*v) : nlohmann::json(nullptr)}});
    out.push_back({{"focal_point", row.focal_point->names.In(lang)},
                   {"goal", row.goal->names.In(lang)},
                   {"indicator", row.indicator->names.In(lang)},
                   {"indicator_id", row.indicator->id},
                   {"unit", std::string(ToName(row.indicator->unit))},
                   {"target", target},
                   {"outcome", row.outcome.value ? nlohmann::json(*row.outcome.value) : nlohmann::json(nullptr)},
                   {"ci_low", row.outcome.ci_low ? nlohmann::json(*row.outcome.ci_low) : nlohmann::json(nullptr)},
                   {"ci_high", row.outcome.ci_high ? nlohmann::json(*row.outcome.ci_high) : nlohmann::json(nullptr)},
                   {"year_to_date", row.year_in_progress},
                   {"status", row.target ? nlohmann::json(std::string(ToName(row.judgement.verdict))) : nlohmann::json(nullptr)},
                   {"significance", row.target ? nlohmann::json(std::string(ToName(row.judgement.significance))) : nlohmann::json(nullptr)},
                   {"history", history}});
  }
  return out;
}

Result<ImportSummary> Service::ImportScorecardValues(const scorecard::Scorecard& card, const std::string& path,
                                                     const ImportOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<CsvReader> reader, CsvReader::OpenFile(path));
  ImportSummary summary;
  CsvRecord record;
  ASSIGN_OR_RETURN(bool any, reader->Next(&record));
  if (!any) return InvalidArgumentError("the file is empty; expected the header indicator,year,value");
  std::map<std::string, size_t> columns;
  for (size_t i = 0; i < record.fields.size(); ++i) columns[record.fields[i]] = i;
  for (const char* required : {"indicator", "year", "value"}) {
    if (!columns.count(required)) {
      return InvalidArgumentError(fmt::format("the header has no column '{}' (required: indicator,year,value)", required));
    }
  }
  std::vector<ScorecardValue> values;
  auto reject = [&](const CsvRecord& r, const std::string& field, const std::string& reason) {
    ++summary.rejected;
    if (options.on_reject) options.on_reject(RowRejection{r.record_number, field, reason});
  };
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader->Next(&record));
    if (!more) break;
    if (!record.error.empty() || record.fields.size() != columns.size()) {
      reject(record, "", record.error.empty() ? "wrong number of fields" : record.error);
      continue;
    }
    ScorecardValue v;
    v.indicator_id = record.fields[columns["indicator"]];
    const scorecard::Indicator* indicator = card.Find(v.indicator_id);
    if (indicator == nullptr) {
      reject(record, "indicator", fmt::format("'{}' is not an indicator of the scorecard", v.indicator_id));
      continue;
    }
    if (indicator->source != scorecard::SourceKind::kManual) {
      reject(record, "indicator", fmt::format("'{}' is computed ({}), not reported", v.indicator_id, ToName(indicator->source)));
      continue;
    }
    try {
      size_t used = 0;
      v.year = std::stoi(record.fields[columns["year"]], &used);
      if (used != record.fields[columns["year"]].size() || v.year < 2000 || v.year > 2100) throw std::invalid_argument("year");
    } catch (...) {
      reject(record, "year", fmt::format("'{}' is not a year from 2000 to 2100", record.fields[columns["year"]]));
      continue;
    }
    std::string number = record.fields[columns["value"]];
    std::replace(number.begin(), number.end(), ',', '.');
    try {
      size_t used = 0;
      v.value = std::stod(number, &used);
      if (used != number.size() || !std::isfinite(v.value)) throw std::invalid_argument("value");
    } catch (...) {
      reject(record, "value", fmt::format("'{}' is not a number", record.fields[columns["value"]]));
      continue;
    }
    if (indicator->unit == scorecard::MeasureUnit::kYesNo && v.value != 0 && v.value != 1) {
      reject(record, "value", "a yes/no indicator takes 1 (yes) or 0 (no)");
      continue;
    }
    values.push_back(std::move(v));
  }
  ASSIGN_OR_RETURN(int64_t changed, UpsertScorecardValues(values));
  summary.imported = changed;
  summary.duplicates = static_cast<int64_t>(values.size()) - changed;
  return summary;
}

Result<int64_t> Service::UpsertScorecardValues(const std::vector<ScorecardValue>& values) {
  std::lock_guard store_lock(store_mu_);
  return store_->UpsertScorecardValues(values, NowSeconds());
}

}  // namespace mittari
