#include "audit.hpp"

#include <gtest/gtest.h>

using namespace idmap;

TEST(AuditLine, Granted)
{
    AuditRecord record;
    record.uid = 60001;
    record.caller = Caller{60001, 60001, std::string("alice"), 60001};
    record.target = "process 1234";
    record.mappings = {{0, 60001, 1}, {1, 100000, 65536}};
    record.grants = {"own uid", "/etc/subuid"};
    EXPECT_EQ(audit_line(record, true, ""),
              "granted: alice (uid 60001), process 1234: 0 60001 1 (own uid), 1 100000 65536 "
              "(/etc/subuid)");
}

TEST(AuditLine, RefusedBeforeAnythingWasKnown)
{
    AuditRecord record;
    record.uid = 60001;
    record.target = "target 12\n34";
    EXPECT_EQ(audit_line(record, false, "target '12\\x0a34': not a number"),
              "refused: uid 60001, target 12\\x0a34: target '12\\x0a34': not a number");
}

TEST(AuditLine, LongRequestsAreShortened)
{
    AuditRecord record;
    record.uid = 0;
    record.target = "process 1";
    for (std::uint32_t i = 0; i < 340; ++i) {
        record.mappings.push_back({i, 100000 + i, 1});
    }
    const std::string line = audit_line(record, false, "why");
    EXPECT_NE(line.find("23 100023 1, and 316 more triples: why"), std::string::npos) << line;
    EXPECT_EQ(line.find("24 100024 1"), std::string::npos);
    EXPECT_LT(line.size(), 600U);
}
