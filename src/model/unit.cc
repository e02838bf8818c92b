#include "model/unit.h"

#include <fmt/format.h>

#include <algorithm>

namespace mittari {

Result<OrgTree> OrgTree::Build(std::vector<Unit> units) {
  if (units.size() > kMaxUnits) {
    return InvalidArgumentError(
        fmt::format("{} units is more than the supported {}", units.size(), kMaxUnits));
  }
  std::unordered_map<std::string, size_t> input_index;
  for (size_t i = 0; i < units.size(); ++i) {
    if (!input_index.emplace(units[i].code, i).second) {
      return InvalidArgumentError(fmt::format("unit code '{}' appears twice", units[i].code));
    }
  }
  std::vector<std::vector<size_t>> children(units.size());
  std::optional<size_t> root;
  for (size_t i = 0; i < units.size(); ++i) {
    const Unit& u = units[i];
    if (u.parent_code.empty()) {
      if (root) {
        return InvalidArgumentError(fmt::format(
            "units '{}' and '{}' both have no parent; there must be exactly one root",
            units[*root].code, u.code));
      }
      root = i;
      continue;
    }
    auto parent = input_index.find(u.parent_code);
    if (parent == input_index.end()) {
      return InvalidArgumentError(
          fmt::format("unit '{}' has unknown parent '{}'", u.code, u.parent_code));
    }
    if (static_cast<int>(units[parent->second].kind) >= static_cast<int>(u.kind)) {
      return InvalidArgumentError(fmt::format(
          "unit '{}' of kind {} cannot be under '{}' of kind {}", u.code, ToName(u.kind),
          u.parent_code, ToName(units[parent->second].kind)));
    }
    children[parent->second].push_back(i);
    if (!u.successor_code.empty() && !input_index.count(u.successor_code)) {
      return InvalidArgumentError(
          fmt::format("unit '{}' has unknown successor '{}'", u.code, u.successor_code));
    }
  }
  if (units.empty()) return OrgTree();
  if (!root) return InvalidArgumentError("no root unit (a unit with an empty parent)");
  for (auto& list : children) {
    std::sort(list.begin(), list.end(),
              [&](size_t a, size_t b) { return units[a].code < units[b].code; });
  }

  // Iterative pre-order walk; a unit never reached sits on a parent cycle.
  OrgTree tree;
  std::vector<size_t> order;
  std::vector<int> new_index(units.size(), -1);
  std::vector<uint8_t> depth_by_input(units.size(), 0);
  std::vector<size_t> stack = {*root};
  while (!stack.empty()) {
    size_t i = stack.back();
    stack.pop_back();
    new_index[i] = static_cast<int>(order.size());
    order.push_back(i);
    for (auto it = children[i].rbegin(); it != children[i].rend(); ++it) {
      depth_by_input[*it] = static_cast<uint8_t>(depth_by_input[i] + 1);
      stack.push_back(*it);
    }
  }
  for (size_t i = 0; i < units.size(); ++i) {
    if (new_index[i] < 0) {
      return InvalidArgumentError(
          fmt::format("unit '{}' is not connected to the root (its parents form a cycle)",
                      units[i].code));
    }
  }
  size_t n = order.size();
  tree.units_.reserve(n);
  tree.parent_.resize(n);
  tree.depth_.resize(n);
  tree.subtree_end_.resize(n);
  tree.current_.resize(n);
  for (size_t pos = 0; pos < n; ++pos) {
    size_t i = order[pos];
    tree.units_.push_back(units[i]);
    tree.depth_[pos] = depth_by_input[i];
    tree.parent_[pos] = units[i].parent_code.empty()
                            ? static_cast<UnitIndex>(pos)
                            : static_cast<UnitIndex>(new_index[input_index[units[i].parent_code]]);
    tree.by_code_.emplace(units[i].code, static_cast<UnitIndex>(pos));
  }
  // Subtree ends: walking backwards, each node's end is at least the end of its children.
  for (size_t pos = 0; pos < n; ++pos) tree.subtree_end_[pos] = static_cast<UnitIndex>(pos + 1);
  for (size_t pos = n; pos-- > 1;) {
    UnitIndex p = tree.parent_[pos];
    tree.subtree_end_[p] = std::max(tree.subtree_end_[p], tree.subtree_end_[pos]);
  }
  // Successor chains; a cycle of successors is a data error.
  for (size_t pos = 0; pos < n; ++pos) {
    size_t current = pos;
    for (size_t steps = 0;; ++steps) {
      const std::string& next = tree.units_[current].successor_code;
      if (next.empty()) break;
      if (steps > n) {
        return InvalidArgumentError(fmt::format(
            "the successors of unit '{}' form a cycle", tree.units_[pos].code));
      }
      current = tree.by_code_.at(next);
    }
    tree.current_[pos] = static_cast<UnitIndex>(current);
  }
  return tree;
}

std::optional<UnitIndex> OrgTree::Find(std::string_view code) const {
  auto it = by_code_.find(std::string(code));
  if (it == by_code_.end()) return std::nullopt;
  return it->second;
}

std::optional<UnitIndex> OrgTree::AncestorOfKind(UnitIndex index, UnitKind kind) const {
  UnitIndex current = index;
  while (true) {
    UnitKind k = units_[current].kind;
    if (k == kind) return current;
    if (static_cast<int>(k) < static_cast<int>(kind)) return std::nullopt;
    UnitIndex p = parent_[current];
    if (p == current) return std::nullopt;
    current = p;
  }
}

}  // namespace mittari
