// File: demo/demo.h
//
// A synthetic but realistic hospital district for demos, benchmarks and end-to-end tests: an
// organisation tree of about 400 units and any number of patient answers to it. Both are
// deterministic for a seed on every platform (the generator uses its own PRNG and sampling),
// so a demo database, a benchmark input or a screenshot can be reproduced exactly.
//
// Unit codes: "HD" is the district; areas are "A01".."A20"; a centre is its area's code plus
// "-Cnn" ("A12-C02"); a unit is its centre's code plus "-Unn" ("A12-C02-U03"). Units opened in
// the 2023 reorganisation continue their centre's numbering, so no code is ever reused.
//
// The answers follow a real district's published yearly NPS path (64, 70, 75, 79, 80, 80 for
// 2020-2025); units differ persistently around it. Their comments are raw: about 1% contain a
// phone number, an e-mail address or a personal identity code, which the ingest pipeline's
// redaction must remove before anything is stored.
//
// Thread-safe: the functions share no state; the sink is called on the caller's thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

#include "common/status.h"
#include "model/response.h"
#include "model/unit.h"

namespace mittari::demo {

struct DemoOptions {
  int64_t responses = 600000;
  uint64_t seed = 1;
};

// Return the first and last local day that demo answers are dated on (2020-01-01 and
// 2025-12-31), and the day GenerateUnits' reorganisation takes effect (2023-01-01).
LocalDay FirstDemoDay();
LocalDay LastDemoDay();
LocalDay ReorganisationDay();

// Returns the demo district's organisation tree in pre-order (root, then each area followed by
// its centres and their units): about 400 units on four levels with Finnish, Swedish and
// English names. Four units close on 2022-12-31 and name successors that open on 2023-01-01;
// no other unit has a validity range. The same seed always gives the same tree.
std::vector<Unit> GenerateUnits(uint64_t seed);

// Generates options.responses patient answers to the kind-unit members of `units` that are
// open on each answer's local day, ordered by time, and hands them to `sink` in batches of at
// most batch_size. The sink may move from or keep modifying the vector it is given. Works with
// any organisation tree, not only GenerateUnits' (unit characteristics such as emergency or
// ward are read from the names). Returns the sink's first non-OK Status, after which nothing
// more is generated; InvalidArgument when the options or batch_size are unusable or no unit is
// open during 2020-2025; OK once every answer has been delivered.
Status GenerateResponses(const std::vector<Unit>& units, const DemoOptions& options,
                         size_t batch_size,
                         const std::function<Status(std::vector<Response>& batch)>& sink);

// The staff survey of the demo district: answers of survey "employee" (eNPS 0–10 and the 1–5
// question "manager") from every unit open in October 2023, 2024 and 2025, about 4,800 a year,
// with eNPS rising about 7, 13 and 18. Deterministic for a seed; delivered like
// GenerateResponses.
Status GenerateEmployeeAnswers(const std::vector<Unit>& units, uint64_t seed, size_t batch_size,
                               const std::function<Status(std::vector<Response>& batch)>& sink);

}  // namespace mittari::demo
