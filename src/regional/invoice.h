// File: regional/invoice.h
//
// What a member municipality owes the district for a year of production, and the high-cost
// pooling that evens out the luck of having a few very expensive patients.
//
// Invoice: the payer's production lines are summed per product and priced at the year's unit
// price, one invoice line per product. The total is the exact sum of the printed lines, so
// the invoice reconciles by construction; there is no separate "total" computation that
// could disagree with the lines by a cent.
//
// Pooling: for each patient-year (the same patient in two years is two patient-years) the
// cost above the threshold is taken off the home municipality's charge. The pooled sum is
// shared among all members in proportion to population with the largest-remainder method,
// so the shares add up to the pooled sum exactly; equal remainders go to the municipality
// whose code sorts first. Every municipality's net charge is own cost − removed + share,
// and the members' net charges add up to their own costs to the cent.
//
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "regional/money.h"

namespace mittari::regional {

struct PriceList {
  int year = 0;
  std::map<std::string, Money> unit_price_by_product;
};

struct ProductionLine {
  std::string municipality;
  std::string product;
  int64_t volume = 0;
};

struct InvoiceLine {
  std::string product;
  int64_t volume = 0;
  Money unit_price;
  Money amount;
};

struct Invoice {
  std::string payer;
  int year = 0;
  // In product-code order.
  std::vector<InvoiceLine> lines;
  Money total;
};

// Only `payer`'s lines are invoiced, so the caller may pass the whole district's production.
// Errors: a negative volume (naming municipality and product), a product without a price in
// `prices.year` (naming product and year), an amount beyond the range of Money.
Result<Invoice> BuildInvoice(const std::string& payer, const std::vector<ProductionLine>& lines,
                             const PriceList& prices);

struct PatientYearCost {
  std::string patient_id;
  std::string municipality;
  int year = 0;
  Money cost;
};

struct MunicipalityPooling {
  Money own_cost;
  Money removed;       // the parts of its patient-years above the threshold
  Money pooled_share;  // its population share of everything pooled
  Money net;           // own_cost - removed + pooled_share
};

struct PoolingResult {
  Money pooled_total;
  // Every member in the population map, including those without patients.
  std::map<std::string, MunicipalityPooling> by_municipality;
};

// Costs of the same patient and year listed on several rows are added up before the
// threshold applies: splitting a stay into episodes must not dodge the pool.
// Errors: a negative threshold, cost or population; a patient-year under two municipalities
// or under one that is not a member; something to pool but no population to share it by.
Result<PoolingResult> ApplyHighCostPooling(
    const std::vector<PatientYearCost>& costs, Money threshold,
    const std::map<std::string, int64_t>& population_by_municipality);

}  // namespace mittari::regional
