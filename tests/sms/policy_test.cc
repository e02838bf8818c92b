#include "sms/policy.h"

#include <gtest/gtest.h>

namespace mittari::sms {
namespace {

UnixSeconds At(std::string_view text) { return *ParseInstant(text); }

TEST(SendPolicy, SendsTwoHoursAfterTheVisitOutsideQuietHours) {
  SendPolicy p;
  EXPECT_EQ(FirstSendTime(p, At("2025-06-02T10:00:00+03:00")), At("2025-06-02T12:00:00+03:00"));
  EXPECT_EQ(FirstSendTime(p, At("2025-06-02T18:59:00+03:00")), At("2025-06-02T20:59:00+03:00"));
}

TEST(SendPolicy, EveningVisitsWaitUntilEightNextMorning) {
  SendPolicy p;
  EXPECT_EQ(FirstSendTime(p, At("2025-06-02T19:00:00+03:00")), At("2025-06-03T08:00:00+03:00"));
  EXPECT_EQ(FirstSendTime(p, At("2025-06-02T23:30:00+03:00")), At("2025-06-03T08:00:00+03:00"));
}

TEST(SendPolicy, NightVisitsWaitUntilEightTheSameMorning) {
  SendPolicy p;
  EXPECT_EQ(FirstSendTime(p, At("2025-06-03T03:00:00+03:00")), At("2025-06-03T08:00:00+03:00"));
  EXPECT_EQ(FirstSendTime(p, At("2025-06-03T05:59:00+03:00")), At("2025-06-03T08:00:00+03:00"));
  EXPECT_EQ(FirstSendTime(p, At("2025-06-03T06:00:00+03:00")), At("2025-06-03T08:00:00+03:00"));
  EXPECT_EQ(FirstSendTime(p, At("2025-06-03T06:01:00+03:00")), At("2025-06-03T08:01:00+03:00"));
}

TEST(SendPolicy, QuietHoursFollowLocalTimeAcrossClockChanges) {
  SendPolicy p;
  // Spring forward on 2025-03-30: 08:00 local is 05:00Z (EEST), not 06:00Z.
  EXPECT_EQ(FirstSendTime(p, At("2025-03-29T22:00:00+02:00")), At("2025-03-30T08:00:00+03:00"));
  // Fall back on 2025-10-26: 08:00 local is 06:00Z (EET).
  EXPECT_EQ(FirstSendTime(p, At("2025-10-25T22:00:00+03:00")), At("2025-10-26T08:00:00+02:00"));
  EXPECT_TRUE(InQuietHours(p, At("2025-10-26T07:59:00+02:00")));
  EXPECT_FALSE(InQuietHours(p, At("2025-10-26T08:00:00+02:00")));
}

TEST(SendPolicy, QuietHoursWithinOneDayAndNone) {
  SendPolicy lunch;
  lunch.quiet_from_minute = 11 * 60;
  lunch.quiet_to_minute = 12 * 60;
  lunch.delay = 0;
  EXPECT_EQ(FirstSendTime(lunch, At("2025-06-02T11:30:00+03:00")), At("2025-06-02T12:00:00+03:00"));
  EXPECT_EQ(FirstSendTime(lunch, At("2025-06-02T22:30:00+03:00")), At("2025-06-02T22:30:00+03:00"));
  SendPolicy none;
  none.quiet_from_minute = none.quiet_to_minute = 0;
  EXPECT_FALSE(InQuietHours(none, At("2025-06-02T03:00:00+03:00")));
}

}  // namespace
}  // namespace mittari::sms
