// File: ingest/regional_import.h
//
// CSV importers for regional finance (model/regional.h): member municipalities, population,
// the price list, production, per-patient costs, the ledger and need coefficients.
//
// They share the row contract of the other importers (ingest/csv_import.h): the header row
// names the columns in any order; a missing required column rejects the whole file, naming
// the column, before anything is written; unknown columns are ignored with a warning; a bad
// row is rejected with its spreadsheet row number (the header is row 1), the field and the
// reason, through `on_reject` and into the rejects CSV, and the good rows are kept.
//
// Unlike the answer importers these files are small (at most a few hundred thousand rows), so
// each importer reads the whole file first and then writes every accepted row in ONE store
// call, one durable transaction: an import is stored whole or not at all, never half. When no
// row is accepted nothing is written.
//
// Period data (population, prices, production, patient costs, ledger, need coefficients)
// replaces the periods it contains (Store::Replace*): a year for yearly data, a month for
// monthly data. Re-importing a file therefore never doubles anything, and a corrected file for
// one month replaces that month only. The summary then counts:
//   imported  rows written;
//   updated   rows the replaced periods held before (the ones the import took the place of);
//   rejected  rows refused;
// and a warning such as "replaced 12 months (2025-01–2025-12): 54 000 rows before, 54 000 now".
// Municipalities and products are upserted by code instead: imported counts new codes,
// updated changed ones, duplicates unchanged ones.
//
// Checks a row must pass besides its own fields' syntax (each a rejection naming the field):
// the municipality is stored (import municipalities first); the product is stored and has a
// price for the year of the production month (import the price list first); the cost centre
// is a unit of the organisation tree; the row's key does not repeat an earlier row of the same
// file ("repeats row 17"). Per-patient cost rows have no key: a patient may have several lines
// in a year.
//
// Common field rules: years 2000..2100; months YYYY-MM; municipality codes exactly three
// digits; age groups 0-6, 7-17, 18-64, 65-74, 75-84, 85+; counts whole numbers >= 0; euro
// amounts as regional::Money::Parse reads them ("1 234,56", "1234.56 €"), exact to the cent,
// with more than two decimals refused rather than rounded.
//
// Patient ids must be pseudonyms. An id that looks like a Finnish personal identity code is
// refused, and its value is never repeated: not in the reason, not in the rejects file (whose
// copy of a rejected patient-cost row has any identity code replaced by "[HETU]").
//
// Errors (a non-OK Result): InvalidArgument when the file is empty, its header is malformed or
// lacks a required column; the store's status when reading reference data or the write fails
// (then nothing of the file was written); Unavailable when the rejects file cannot be written.
//
// Thread-compatible.
#pragma once

#include <array>
#include <string_view>

#include "common/csv.h"
#include "common/status.h"
#include "ingest/csv_import.h"
#include "model/unit.h"
#include "store/store.h"

namespace mittari {

// Columns code, name_fi, name_sv, payer, payer_name; optional valid_from, valid_to
// (YYYY-MM-DD; a column the file lacks keeps what is stored). payer is upper-case letters,
// digits, '-' and '_'. Upserts by code.
Result<ImportSummary> ImportMunicipalitiesCsv(Store& store, CsvReader& reader,
                                              const ImportOptions& options);

// Columns municipality, year, age_group, residents. Replaces the years it contains.
Result<ImportSummary> ImportPopulationCsv(Store& store, CsvReader& reader,
                                          const ImportOptions& options);

// Columns product, name_fi, name_sv, name_en, kind, year, unit_price. A product may appear on
// several rows (one per year) with the same description. Products are upserted by code, then
// the prices replace the years they contain. These are two store transactions (the store has
// no call doing both): should the second fail, the products stay upserted and no price has
// changed, and running the same import again completes it.
Result<ImportSummary> ImportPriceListCsv(Store& store, CsvReader& reader,
                                         const ImportOptions& options);

// Columns municipality, product, month, age_group, volume, patients (patients <= volume: a
// patient has at least one visit). Every product-year needs a stored price. Replaces the
// months it contains.
Result<ImportSummary> ImportProductionCsv(Store& store, CsvReader& reader,
                                          const ImportOptions& options);

// Columns patient_id, municipality, year, cost. patient_id is 1-64 characters of A-Z, a-z,
// 0-9, '-' and '_'. Replaces the years it contains.
Result<ImportSummary> ImportPatientCostsCsv(Store& store, CsvReader& reader,
                                            const ImportOptions& options);

// Columns cost_centre, account, month, amount (may be negative: credits). cost_centre is a
// unit code of `tree`. Replaces the months it contains.
Result<ImportSummary> ImportLedgerCsv(Store& store, const OrgTree& tree, CsvReader& reader,
                                      const ImportOptions& options);

// Columns municipality, year, need_coefficient (a positive decimal, '.' or ',' as the
// separator). Replaces the years it contains.
Result<ImportSummary> ImportNeedCoefficientsCsv(Store& store, CsvReader& reader,
                                                const ImportOptions& options);

// The names callers (CLI, HTTP) use to choose an importer, in the order above.
inline constexpr std::array<std::string_view, 7> kRegionalImportKinds = {
    "municipalities", "population", "prices", "production", "patient-costs", "ledger", "need"};

// Runs the importer `kind` names (one of kRegionalImportKinds; `tree` is used by "ledger"
// only). Returns what that importer returns, or InvalidArgument listing the kinds when `kind`
// is none of them.
Result<ImportSummary> ImportRegionalCsv(std::string_view kind, Store& store, const OrgTree& tree,
                                        CsvReader& reader, const ImportOptions& options);

}  // namespace mittari
