// File: demo/regional.h
//
// Demo data for regional finance: the demo district's member municipalities, their residents,
// a service price list, production by municipality of residence, per-patient costs, the ledger
// of the district's cost centres and the municipalities' need coefficients. It is produced as
// the CSV text of the regional import files, so that the demo loads it through the same
// importers as real data and there is only one ingest path to trust.
//
// What the numbers are modelled on:
// - Members: the 22 municipalities of Pirkanmaa and three of Kanta-Häme (Hämeenlinna, Forssa,
//   Hattula) with their Statistics Finland codes and Finnish and Swedish names; the payers are
//   the two wellbeing services counties. Resident totals are close to the real ones of the
//   mid-2020s (Tampere about 258,000, Kihniö and Juupajoki under 2,000).
// - Age structure: each municipality sits between a young commuter-suburb profile (Pirkkala,
//   Lempäälä: 23% under 18, 8% aged 75+) and an ageing countryside profile (Kihniö, Ruovesi:
//   40% aged 65+, 5% aged 85+); Tampere has its own student-city profile. The share aged 75+
//   thus differs by more than a factor of two, which is what makes age standardisation move
//   the rankings.
// - Use of services: yearly use rates per resident by age group and product, in the range of
//   Finnish specialised care (roughly €600–1,100 a year per child and €4,000–5,000 per
//   resident aged 75+, €1,400–2,400 per resident overall), raised by the municipality's need
//   coefficient and a persistent practice variation, with mild seasonality (the July dip of
//   scheduled care, the winter peak of acute care) and Poisson noise.
// - Patient costs: about 25–35% of residents are patients in a year; each municipality's total
//   is shared among its patients with lognormal weights, so about 0.4% of patient-years (some
//   700) exceed €80,000 and a few dozen exceed €200,000, as in real high-cost pooling data.
// - Ledger: the area and centre cost centres of the organisation tree, personnel about 56% of
//   costs, the year's total within 3% of the priced production.
//
// Contract: the output is a pure function of (units, year, seed) and identical on every
// platform (the project's own PRNG, integer money). Each string is a CSV file with its header
// row first, '\n' line endings, UTF-8, '.' as the decimal point. For every municipality the
// patient cost lines of `year` sum to exactly Σ volume × unit price of its production in `year`
// (in cents); patients never exceed volume; ledger cost centres are the area and centre units
// of `units` open at some time during `year`. Population and need cover year-1..year+1, prices
// year and year+1, production, patient costs and the ledger `year` only. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/unit.h"

namespace mittari::demo {

struct RegionalDemoFiles {
  // code,name_fi,name_sv,payer,payer_name
  std::string municipalities;
  // municipality,year,age_group,residents (age groups 0-6, 7-17, 18-64, 65-74, 75-84, 85+)
  std::string population;
  // product,name_fi,name_sv,name_en,kind,year,unit_price (euros, two decimals)
  std::string price_list;
  // municipality,product,month,age_group,volume,patients (month YYYY-MM; no zero volumes)
  std::string production;
  // patient_id,municipality,year,cost (pseudonyms P + 8 digits; one or two lines a patient)
  std::string patient_costs;
  // cost_centre,account,month,amount (euros, two decimals; a few negative corrections)
  std::string ledger;
  // municipality,year,need_coefficient (three decimals, 0.800–1.300)
  std::string need;
};

// Returns the regional demo files for production year `year` (the demo uses 2025), with the
// ledger booked on the area and centre units of `units` (normally GenerateUnits' tree).
// The same arguments always give the same text.
RegionalDemoFiles GenerateRegionalDemo(const std::vector<Unit>& units, int year, uint64_t seed);

}  // namespace mittari::demo
