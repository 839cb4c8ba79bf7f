// nsswitch subid sources (SPEC §4, issue 5): shadow-ABI plugins loaded by
// bare name, alone or with files, in either order; missing modules,
// missing symbols, every error status; Debian's real libsubid_sss.so.
#include "world.hpp"

#include <gmock/gmock.h>

#include <dlfcn.h>
#include <unistd.h>

using namespace world;
using ::testing::EndsWith;
using ::testing::HasSubstr;

namespace {

class Nsswitch : public WorldTest {
protected:
    void SetUp() override
    {
        WorldTest::SetUp();
        install_subid_plugins();
    }

    void sources(const std::string& line)
    {
        write_file("/etc/nsswitch.conf", "passwd: files\ngroup: files\nsubid: " + line + "\n");
    }

    void plugin_data(const std::string& text) { write_file("/etc/newidmap-test-subid", text); }

    // The audit line of the last request.
    std::string last_audit()
    {
        const auto lines = syslog_messages();
        return lines.empty() ? std::string() : lines.back();
    }
};

void expect_refused(const Result& r, const std::string& message, const Target& target)
{
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_THAT(r.err, HasSubstr(message)) << r;
    EXPECT_EQ(target.uid_map(), "");
    EXPECT_EQ(target.gid_map(), "");
    EXPECT_EQ(target.setgroups(), "allow");
}

const std::string fixture = "subid source 'fixture' (libsubid_fixture.so)";

}  // namespace

TEST_P(Nsswitch, PluginAlone)
{
    sources("fixture");
    plugin_data("u alice 100000 65536\n");
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "60001", "1", "1", "100000", "65536"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), "0 60001 1\n1 100000 65536\n");
    EXPECT_THAT(last_audit(), EndsWith(": 0 60001 1 (own uid), 1 100000 65536 (" + fixture + ")"));
}

TEST_P(Nsswitch, PluginIsNotConsultedForFilesOnlyAndFilesAreNotWithPluginOnly)
{
    sources("fixture");
    write_file("/etc/subuid", "alice:300000:10\n");  // not configured: ignored
    plugin_data("u alice 100000 65536\n");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "300000", "10"}),
                   "outer uids 300000-300009 are not delegated to alice (uid 60001): nothing in " +
                       fixture + " covers them",
                   target);
}

TEST_P(Nsswitch, FilesThenPlugin)
{
    sources("files fixture");
    write_file("/etc/subuid", "alice:300000:10\n");
    plugin_data("u alice 100000 65536\n");
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "300000", "10", "10", "100000", "10"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), "0 300000 10\n10 100000 10\n");
    EXPECT_THAT(last_audit(),
                EndsWith(": 0 300000 10 (/etc/subuid), 10 100000 10 (" + fixture + ")"));
}

TEST_P(Nsswitch, PluginThenFilesWithAFailingPlugin)
{
    // The first source cannot be reached; the second covers: allowed.
    sources("fixture files");
    write_file("/etc/subuid", "alice:300000:10\n");
    plugin_data("status 2\n");
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "300000", "10"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.uid_map(), "0 300000 10\n");
    // Not covered anywhere: both sources are named.
    Target other;
    expect_refused(newuidmap({other.pid_text(), "0", "400000", "10"}),
                   "are not delegated to alice (uid 60001): " + fixture +
                       ": its service could not be reached; nothing in /etc/subuid covers them",
                   other);
}

TEST_P(Nsswitch, MissingModule)
{
    sources("nosuch");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}),
                   "subid source 'nosuch' (libsubid_nosuch.so): cannot load libsubid_nosuch.so: "
                   "libsubid_nosuch.so: cannot open shared object file: No such file or directory",
                   target);
    // Own IDs need no source.
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}), "nosuch", target);
    const Result own = newuidmap({target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(own.status, 0) << own;
    EXPECT_EQ(target.uid_map(), "0 60001 1\n");
}

TEST_P(Nsswitch, ModuleWithoutHasRange)
{
    sources("nohas");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}),
                   "subid source 'nohas' (libsubid_nohas.so): libsubid_nohas.so does not provide "
                   "shadow_subid_has_range",
                   target);
}

TEST_P(Nsswitch, EveryErrorStatus)
{
    sources("fixture");
    const std::vector<std::pair<std::string, std::string>> statuses{
        {"1", "nothing in " + fixture + " covers them"},  // UNKNOWN_USER: a plain no
        {"2", fixture + ": its service could not be reached"},
        {"3", fixture + ": it reported an error"},
        {"7", fixture + ": it answered with unknown status 7"},
    };
    for (const auto& [status, message] : statuses) {
        SCOPED_TRACE("status " + status);
        plugin_data("status " + status + "\nu alice 100000 65536\n");
        Target target;
        expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}), message, target);
        Target gid_target;
        const Result g = newgidmap({gid_target.pid_text(), "0", "100000", "10"});
        EXPECT_EQ(g.status, 1);
        EXPECT_EQ(gid_target.setgroups(), "allow");
        // The own ID still works, whatever the plugin says.
        EXPECT_EQ(newuidmap({target.pid_text(), "0", "60001", "1"}).status, 0);
        EXPECT_EQ(target.uid_map(), "0 60001 1\n");
    }
}

TEST_P(Nsswitch, GidRanges)
{
    sources("fixture");
    plugin_data("u alice 100000 65536\ng alice 200000 65536\n");
    Target target;
    const Result r = newgidmap({target.pid_text(), "0", "60001", "1", "1", "200000", "65536"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.gid_map(), "0 60001 1\n1 200000 65536\n");
    EXPECT_EQ(target.setgroups(), "allow");
    // A uid range is not a gid range.
    Target other;
    expect_refused(newgidmap({other.pid_text(), "0", "100000", "10"}), "outer gids 100000-100009",
                   other);
}

TEST_P(Nsswitch, OwnGidWithAFailingPluginDeniesSetgroups)
{
    sources("fixture");
    plugin_data("status 2\n");
    Target target;
    const Result r = newgidmap({target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(target.gid_map(), "0 60001 1\n");
    EXPECT_EQ(target.setgroups(), "deny");
}

TEST_P(Nsswitch, UntrustedNsswitchConf)
{
    write_file("/etc/nsswitch.conf", "passwd: files\nsubid: fixture\n", 0666);
    plugin_data("u alice 100000 65536\n");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}),
                   "/etc/nsswitch.conf: the file is writable by group or others (mode 0666): "
                   "refusing to trust it",
                   target);
}

TEST_P(Nsswitch, InvalidSourceName)
{
    sources("../../tmp/evil");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}),
                   "/etc/nsswitch.conf:3: '../../tmp/evil' is not a subid source name", target);
}

TEST_P(Nsswitch, RealSssdPluginWithoutSssd)
{
    void* sss = ::dlopen("libsubid_sss.so", RTLD_LAZY | RTLD_LOCAL);
    if (sss == nullptr) {
        GTEST_SKIP() << "sssd-common (libsubid_sss.so) is not installed";
    }
    // SSSD 2.8's plugin exports no shadow_subid_free; with no sssd running
    // it answers "cannot connect".
    EXPECT_EQ(::dlsym(sss, "shadow_subid_free"), nullptr);
    ::dlclose(sss);
    sources("sss");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}),
                   "newuidmap: triple 1 (0 100000 10): outer uids 100000-100009 are not delegated "
                   "to alice (uid 60001): subid source 'sss' (libsubid_sss.so): its service could "
                   "not be reached (is sssd running?)",
                   target);
    const Result own = newuidmap({target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(own.status, 0) << own;
    EXPECT_EQ(target.uid_map(), "0 60001 1\n");
    const Result list = newuidmap({"--list"});
    EXPECT_EQ(list.status, 1);
    EXPECT_THAT(list.err, HasSubstr("(is sssd running?)"));
}

TEST_P(Nsswitch, ListFromEverySource)
{
    sources("files fixture nofree");
    write_file("/etc/subuid", "bob:500000:10\nalice:300000:10\nalicealias:310000:5\n");
    plugin_data("u alice 100000 65536\nu bob 1 1\ng alice 200000 10\n");
    const Result r = newuidmap({"--list"});
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(r.out, "300000 10\n310000 5\n100000 65536\n100000 65536\n");
    EXPECT_EQ(r.err, "");
    const Result g = newgidmap({"--list"});
    EXPECT_EQ(g.out, "200000 10\n200000 10\n");
}

TEST_P(Nsswitch, ListReportsAFailingSource)
{
    sources("fixture files");
    write_file("/etc/subuid", "alice:300000:10\n");
    plugin_data("status 2\n");
    const Result r = newuidmap({"--list"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.out, "300000 10\n");
    EXPECT_EQ(r.err, "newuidmap: " + fixture + ": its service could not be reached\n");
}

INSTANTIATE_TEST_SUITE_P(Installs, Nsswitch, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
