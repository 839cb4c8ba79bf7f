// The audit trail (SPEC §6): one syslog line per decision, LOG_AUTHPRIV,
// captured from this world's own /dev/log socket.
#include "world.hpp"

#include <gmock/gmock.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

using namespace world;
using ::testing::ContainsRegex;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

class Audit : public WorldTest {
protected:
    void SetUp() override
    {
        WorldTest::SetUp();
        write_file("/etc/subuid", "alice:100000:65536\n");
        write_file("/etc/subgid", "alice:100000:65536\n");
    }

    // The one message the last run sent.
    std::string only_message()
    {
        const auto messages = syslog_messages();
        EXPECT_EQ(messages.size(), 1U);
        return messages.empty() ? std::string() : messages.front();
    }
};

// <priority>: LOG_AUTHPRIV (10 << 3) | LOG_NOTICE (5) or LOG_WARNING (4).
constexpr const char* notice = "<85>";
constexpr const char* warning = "<84>";

}  // namespace

TEST_P(Audit, GrantedNewuidmap)
{
    Target target;
    ASSERT_EQ(newuidmap({target.pid_text(), "0", "60001", "1", "1", "100000", "65536"}).status, 0);
    const std::string line = only_message();
    EXPECT_THAT(line, StartsWith(notice));
    EXPECT_THAT(
        line, ContainsRegex("^<85>[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]{8} newuidmap\\[[0-9]+\\]: "));
    EXPECT_THAT(line, EndsWith("]: granted: alice (uid 60001), process " + target.pid_text() +
                               ": 0 60001 1 (own uid), 1 100000 65536 (/etc/subuid)"));
}

TEST_P(Audit, RefusedNewuidmap)
{
    Target target;
    ASSERT_EQ(newuidmap({target.pid_text(), "0", "200000", "10"}).status, 1);
    const std::string line = only_message();
    EXPECT_THAT(line, StartsWith(warning));
    EXPECT_THAT(line,
                HasSubstr("]: refused: alice (uid 60001), process " + target.pid_text() +
                          ": 0 200000 10: triple 1 (0 200000 10): outer uids 200000-200009 are "
                          "not delegated to alice (uid 60001): nothing in /etc/subuid covers "
                          "them"));
}

TEST_P(Audit, GrantedNewgidmap)
{
    Target target;
    ASSERT_EQ(newgidmap({target.pid_text(), "0", "60001", "1"}).status, 0);
    const std::string line = only_message();
    EXPECT_THAT(line, StartsWith(notice));
    EXPECT_THAT(line, HasSubstr(" newgidmap["));
    EXPECT_THAT(line, EndsWith("]: granted: alice (uid 60001), process " + target.pid_text() +
                               ": 0 60001 1 (own gid)"));
    Target second;
    ASSERT_EQ(newgidmap({second.pid_text(), "0", "100000", "65536"}).status, 0);
    EXPECT_THAT(only_message(), EndsWith(": 0 100000 65536 (/etc/subgid)"));
}

TEST_P(Audit, RefusedNewgidmap)
{
    Target target({Identity{bob, bob, {}}});
    ASSERT_EQ(newgidmap({target.pid_text(), "0", "60001", "1"}).status, 1);
    const std::string line = only_message();
    EXPECT_THAT(line, StartsWith(warning));
    EXPECT_THAT(line, HasSubstr(" newgidmap["));
    EXPECT_THAT(line, HasSubstr("]: refused: alice (uid 60001), process " + target.pid_text() +
                                ": 0 60001 1: process " + target.pid_text() +
                                ": it belongs to uid 60002 gid 60002"));
}

TEST_P(Audit, RefusedArgumentsAreLoggedEscaped)
{
    const Result r = newuidmap({"12\x1b[2J", "0", "60001", "1"});
    ASSERT_EQ(r.status, 1);
    const std::string line = only_message();
    EXPECT_THAT(line, StartsWith(warning));
    EXPECT_THAT(line, HasSubstr("]: refused: uid 60001, target 12\\x1b[2J: target '12\\x1b[2J':"));
    EXPECT_EQ(line.find('\x1b'), std::string::npos);
}

TEST_P(Audit, UsageHelpAndVersionAreNotDecisions)
{
    (void)newuidmap({});
    (void)newuidmap({"--help"});
    (void)newgidmap({"--version"});
    EXPECT_TRUE(syslog_messages().empty());
}

TEST_P(Audit, NoSyslogDaemonIsNotAnError)
{
    remove_file("/dev/log");
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(target.uid_map(), "0 60001 1\n");
}

TEST_P(Audit, StuckSyslogDaemonDoesNotHang)
{
    // Fill our socket's queue so that the helper's send would block.
    const int sender = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, "/dev/log");
    ASSERT_EQ(::connect(sender, reinterpret_cast<const sockaddr*>(&address), sizeof address), 0);
    int queued = 0;
    while (::send(sender, "filler", 6, MSG_DONTWAIT) == 6 && queued < 100000) {
        ++queued;
    }
    ::close(sender);
    Target target;
    RunOptions options;
    options.timeout = std::chrono::seconds(15);
    const Result r = newuidmap({target.pid_text(), "0", "60001", "1"}, options);
    EXPECT_EQ(r.status, 0) << r;  // -1 would mean it hung until the timeout
    EXPECT_EQ(target.uid_map(), "0 60001 1\n");
    EXPECT_GT(queued, 0);
}

INSTANTIATE_TEST_SUITE_P(Installs, Audit, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
