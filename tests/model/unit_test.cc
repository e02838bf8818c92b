#include "model/unit.h"

#include <gtest/gtest.h>

#include "support/units.h"

namespace mittari {
namespace {

using testing::MakeUnit;

std::vector<Unit> SmallDistrict() {
  return {MakeUnit("U2", "C1", UnitKind::kUnit), MakeUnit("HD", "", UnitKind::kOrganisation),
          MakeUnit("A1", "HD", UnitKind::kArea), MakeUnit("C1", "A1", UnitKind::kCentre),
          MakeUnit("U1", "C1", UnitKind::kUnit, "U2"), MakeUnit("A2", "HD", UnitKind::kArea),
          MakeUnit("C2", "A2", UnitKind::kCentre), MakeUnit("U3", "C2", UnitKind::kUnit)};
}

TEST(OrgTree, SubtreesAreContiguousPreOrderIntervals) {
  Result<OrgTree> tree = OrgTree::Build(SmallDistrict());
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  UnitIndex a1 = *tree->Find("A1");
  for (const char* inside : {"A1", "C1", "U1", "U2"}) EXPECT_TRUE(tree->InSubtree(a1, *tree->Find(inside))) << inside;
  for (const char* outside : {"HD", "A2", "C2", "U3"}) EXPECT_FALSE(tree->InSubtree(a1, *tree->Find(outside))) << outside;
  EXPECT_EQ(tree->subtree_end(*tree->Find("HD")), tree->size());
  EXPECT_EQ(tree->depth(*tree->Find("U3")), 3);
}

TEST(OrgTree, FindsAncestorsOfEachKind) {
  OrgTree tree = *OrgTree::Build(SmallDistrict());
  UnitIndex u3 = *tree.Find("U3");
  EXPECT_EQ(tree.unit(*tree.AncestorOfKind(u3, UnitKind::kCentre)).code, "C2");
  EXPECT_EQ(tree.unit(*tree.AncestorOfKind(u3, UnitKind::kArea)).code, "A2");
  EXPECT_FALSE(tree.AncestorOfKind(*tree.Find("A2"), UnitKind::kCentre).has_value());
}

TEST(OrgTree, ClosedUnitMapsToItsCurrentSuccessor) {
  std::vector<Unit> units = SmallDistrict();
  units.push_back(MakeUnit("U0", "C1", UnitKind::kUnit, "U1"));  // U0 -> U1 -> U2
  OrgTree tree = *OrgTree::Build(units);
  EXPECT_EQ(tree.unit(tree.CurrentSuccessor(*tree.Find("U0"))).code, "U2");
  EXPECT_EQ(tree.unit(tree.CurrentSuccessor(*tree.Find("U3"))).code, "U3");
}

TEST(OrgTree, RejectsBrokenTrees) {
  auto fails_with = [](std::vector<Unit> units, std::string_view words) {
    Result<OrgTree> tree = OrgTree::Build(std::move(units));
    ASSERT_FALSE(tree.ok());
    EXPECT_NE(tree.status().message().find(words), std::string::npos) << tree.status().message();
  };
  std::vector<Unit> units = SmallDistrict();
  units.push_back(MakeUnit("U1", "C1", UnitKind::kUnit));
  fails_with(units, "appears twice");
  units = SmallDistrict();
  units.push_back(MakeUnit("U9", "NOPE", UnitKind::kUnit));
  fails_with(units, "unknown parent 'NOPE'");
  units = SmallDistrict();
  units.push_back(MakeUnit("HD2", "", UnitKind::kOrganisation));
  fails_with(units, "exactly one root");
  units = SmallDistrict();
  units.push_back(MakeUnit("A9", "U3", UnitKind::kArea));
  fails_with(units, "cannot be under");
  units = SmallDistrict();
  units[0].successor_code = "U1";  // U1 -> U2 -> U1
  fails_with(units, "form a cycle");
}

}  // namespace
}  // namespace mittari
