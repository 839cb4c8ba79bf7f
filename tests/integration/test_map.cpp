// The helpers installed for real, run by an unprivileged fixture user against
// real processes in new user namespaces; the kernel's view is the judge.
#include "world.hpp"

#include <gmock/gmock.h>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace world;
using ::testing::HasSubstr;
using ::testing::StartsWith;

namespace {

class Map : public WorldTest {};

const std::string alice_subuid = "alice:100000:65536\n";

// The three checks of a refused request.
void expect_refused(const Result& r, const std::string& message, const Target& target)
{
    EXPECT_EQ(r.status, 1) << r;
    EXPECT_THAT(r.err, HasSubstr(message)) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r;
    EXPECT_EQ(target.uid_map(), "");
    EXPECT_EQ(target.gid_map(), "");
    EXPECT_EQ(target.setgroups(), "allow");
}

void expect_success(const Result& r)
{
    EXPECT_EQ(r.status, 0) << r;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err, "");
}

}  // namespace

TEST_P(Map, OwnUidWithoutAnySubuidFile)
{
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "60001", "1"});
    expect_success(r);
    EXPECT_EQ(target.uid_map(), "0 60001 1\n");
}

TEST_P(Map, OwnUidWithAnyInnerId)
{
    write_file("/etc/subuid", alice_subuid);
    Target target;
    expect_success(newuidmap({target.pid_text(), "4294967294", "60001", "1"}));
    EXPECT_EQ(target.uid_map(), "4294967294 60001 1\n");
}

TEST_P(Map, OwnGidDeniesSetgroups)
{
    Target target;
    EXPECT_EQ(target.setgroups(), "allow");
    expect_success(newgidmap({target.pid_text(), "0", "60001", "1"}));
    EXPECT_EQ(target.gid_map(), "0 60001 1\n");
    EXPECT_EQ(target.setgroups(), "deny");
}

TEST_P(Map, OwnGidWhenSetgroupsIsAlreadyDenied)
{
    TargetOptions options;
    options.deny_setgroups_first = true;
    Target target(options);
    expect_success(newgidmap({target.pid_text(), "0", "60001", "1"}));
    EXPECT_EQ(target.gid_map(), "0 60001 1\n");
    EXPECT_EQ(target.setgroups(), "deny");
}

TEST_P(Map, DelegatedRangePlusOwnUid)
{
    write_file("/etc/subuid", "bob:200000:65536\n" + alice_subuid);
    Target target;
    expect_success(newuidmap({target.pid_text(), "0", "60001", "1", "1", "100000", "65536"}));
    EXPECT_EQ(target.uid_map(), "0 60001 1\n1 100000 65536\n");
}

TEST_P(Map, DelegatedGidsKeepSetgroupsAllowed)
{
    write_file("/etc/subgid", "alice:100000:65536\n");
    Target target;
    expect_success(newgidmap({target.pid_text(), "0", "60001", "1", "1", "100000", "65536"}));
    EXPECT_EQ(target.gid_map(), "0 60001 1\n1 100000 65536\n");
    EXPECT_EQ(target.setgroups(), "allow");
}

TEST_P(Map, UnsortedTriples)
{
    write_file("/etc/subuid", alice_subuid);
    Target target;
    expect_success(newuidmap(
        {target.pid_text(), "1000", "101000", "64536", "0", "60001", "1", "1", "100000", "999"}));
    EXPECT_EQ(target.uid_map(), "1000 101000 64536\n0 60001 1\n1 100000 999\n");
}

TEST_P(Map, AdjacentAndOverlappingEntriesCombineInAnyOrder)
{
    write_file("/etc/subuid",
               "alice:150000:20000\n"  // second half, overlapping the next
               "# a comment\n"
               "\n"
               "alice:100000:50001\n"  // first half
               "alice:170000:30000");  // adjacent tail, no final newline
    Target target;
    expect_success(newuidmap({target.pid_text(), "0", "100000", "100000"}));
    EXPECT_EQ(target.uid_map(), "0 100000 100000\n");
}

TEST_P(Map, PartialCoverageIsRefusedNamingTheGap)
{
    write_file("/etc/subuid", "alice:100000:1000\nalice:101001:1000\n");
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "100000", "2001"});
    expect_refused(r,
                   "newuidmap: triple 1 (0 100000 2001): outer uids 100000-102000 are not "
                   "delegated to alice (uid 60001): /etc/subuid does not cover uid 101000",
                   target);
}

TEST_P(Map, AnotherUsersRangeIsRefused)
{
    write_file("/etc/subuid", "bob:100000:65536\n60002:200000:10\n");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}),
                   "are not delegated to alice (uid 60001): nothing in /etc/subuid covers them",
                   target);
    Target second;
    expect_refused(newuidmap({second.pid_text(), "0", "200000", "10"}), "not delegated", second);
}

TEST_P(Map, OwnerByDecimalUid)
{
    write_file("/etc/subuid", "60001:100000:65536\n");
    Target target;
    expect_success(newuidmap({target.pid_text(), "0", "100000", "65536"}));
    EXPECT_EQ(target.uid_map(), "0 100000 65536\n");
}

TEST_P(Map, OwnerByAliasWithTheSameUid)
{
    write_file("/etc/subuid", "alicealias:100000:65536\n");
    Target target;
    expect_success(newuidmap({target.pid_text(), "0", "100000", "65536"}));
    EXPECT_EQ(target.uid_map(), "0 100000 65536\n");
}

TEST_P(Map, SubgidOwnerIsAUserNotAGroup)
{
    // "aux" is a group alice belongs to; in /etc/subgid it names a user, and
    // there is no such user, so it grants alice nothing.
    write_file("/etc/subgid", "aux:100000:65536\n");
    Target target;
    expect_refused(newgidmap({target.pid_text(), "0", "100000", "10"}),
                   "outer gids 100000-100009 are not delegated to alice (uid 60001): nothing in "
                   "/etc/subgid covers them",
                   target);
}

TEST_P(Map, CallerWithoutPasswdEntry)
{
    write_file("/etc/subuid", "60050:100000:65536\nghost:300000:10\n");
    const Identity who{ghost, ghost, {}};
    Target target({who});
    RunOptions as_ghost;
    as_ghost.who = who;
    expect_success(
        newuidmap({target.pid_text(), "0", "60050", "1", "1", "100000", "65536"}, as_ghost));
    EXPECT_EQ(target.uid_map(), "0 60050 1\n1 100000 65536\n");
    Target other({who});
    expect_refused(newuidmap({other.pid_text(), "0", "300000", "10"}, as_ghost),
                   "not delegated to uid 60050 (no passwd entry)", other);
}

TEST_P(Map, RootIsNotExempt)
{
    const Identity root{0, 0, {}};
    RunOptions as_root;
    as_root.who = root;
    Target target({root});
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "10"}, as_root),
                   "are not delegated to root (uid 0): /etc/subuid does not exist", target);
    write_file("/etc/subuid", "root:100000:65536\n");
    expect_success(newuidmap({target.pid_text(), "0", "100000", "10"}, as_root));
    EXPECT_EQ(target.uid_map(), "0 100000 10\n");
}

TEST_P(Map, OuterUidZeroNeedsSetfcap)
{
    write_file("/etc/subuid", "alice:0:1\n");
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "0", "1"});
    if (GetParam() == Install::setuid) {
        expect_success(r);
        EXPECT_EQ(target.uid_map(), "0 0 1\n");
    } else {
        expect_refused(r, "newuidmap: outer uid 0: mapping it needs CAP_SETFCAP", target);
    }
}

TEST_P(Map, OuterUidZeroMustStillBeDelegated)
{
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "0", "1"}),
                   "outer uids 0 are not delegated to alice (uid 60001)", target);
}

TEST_P(Map, InvalidFileLinesGrantNothing)
{
    write_file("/etc/subuid",
               "alice:0100000:65536\n"   // leading zero
               "alice:0x30d40:65536\n"   // hex
               "alice:100000:65536\r\n"  // CR
               "alice:100000:0\n"        // zero count
               "alice:0:0\n"             // shadow < 4.20 granted everything for this
               " alice:100000:65536\n"   // leading blank
               "alice:100000:65536:extra\n");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}), "not delegated", target);
    Target second;
    expect_refused(newuidmap({second.pid_text(), "0", "5", "1"}), "not delegated", second);
}

TEST_P(Map, ValidLinesAroundInvalidOnesStillCount)
{
    write_file("/etc/subuid", "garbage\nalice:100000:65536\n" + std::string(10000, 'x') + "\n");
    Target target;
    expect_success(newuidmap({target.pid_text(), "0", "100000", "65536"}));
    EXPECT_EQ(target.uid_map(), "0 100000 65536\n");
}

// ----- the command line, through the installed helpers

TEST_P(Map, NoArgumentsPrintsUsage)
{
    const Result r = newuidmap({});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, StartsWith("usage: newuidmap <pid>|fd:<N>"));
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(newgidmap({}).status, 1);
}

TEST_P(Map, HelpAndVersionOnStdout)
{
    const Result help = newgidmap({"--help"});
    EXPECT_EQ(help.status, 0);
    EXPECT_THAT(help.out, HasSubstr("/etc/subgid"));
    EXPECT_EQ(help.err, "");
    const Result version = newuidmap({"--version"});
    EXPECT_EQ(version.status, 0);
    EXPECT_THAT(version.out, StartsWith("newuidmap "));
    const Result abbreviated = newuidmap({"--he"});
    EXPECT_EQ(abbreviated.status, 1);
    EXPECT_THAT(abbreviated.err, HasSubstr("unrecognised option '--he'"));
}

TEST_P(Map, TargetWithoutTriplesWritesNothing)
{
    Target target;
    expect_refused(newgidmap({target.pid_text()}), "newgidmap: no mapping:", target);
}

TEST_P(Map, BadNumbersWriteNothing)
{
    write_file("/etc/subgid", "alice:100000:65536\n");
    struct Case {
        std::vector<std::string> triples;
        std::string message;
    };
    const std::vector<Case> cases{
        {{"0", "010", "1"}, "triple 1: outer: '010' has a leading zero"},
        {{"0", "0x10", "1"}, "triple 1: outer: '0x10' is not a plain decimal number"},
        {{"0", "60001", "1", "1", "100000", "-1"}, "triple 2: count: '-1' is not a plain decimal"},
        {{"0", "60001", "0"}, "triple 1: count: must be at least 1"},
        {{"4294967295", "60001", "1"}, "triple 1: inner: '4294967295' is too large"},
        {{"0", "100000", "4294967295"}, "runs past the last ID 4294967294"},
        {{"0", "60001", "1", "1"}, "4 words after the target are not whole triples"},
        {{"0", "100000", "10", "5", "100010", "10"},
         "triple 1 (0 100000 10) and triple 2 (5 100010 10): inner ranges overlap"},
        {{"0", "100000", "10", "10", "100005", "10"},
         "outer ranges overlap (100000-100009 and 100005-100014)"},
    };
    for (const Case& c : cases) {
        Target target;
        std::vector<std::string> args{target.pid_text()};
        args.insert(args.end(), c.triples.begin(), c.triples.end());
        expect_refused(newgidmap(args), c.message, target);
    }
}

TEST_P(Map, TooManyTriples)
{
    write_file("/etc/subuid", "alice:1000:1000\n");
    Target target;
    std::vector<std::string> args{target.pid_text()};
    for (int i = 0; i < 341; ++i) {
        args.insert(args.end(), {std::to_string(i), std::to_string(1000 + i), "1"});
    }
    expect_refused(newuidmap(args), "too many triples: 341 given, the kernel accepts at most 340",
                   target);
    // 340 is the kernel's limit, and it takes them.
    args.resize(1 + 340 * 3);
    Target full;
    args[0] = full.pid_text();
    expect_success(newuidmap(args));
    const std::string map = full.uid_map();
    EXPECT_EQ(std::count(map.begin(), map.end(), '\n'), 340);
    EXPECT_THAT(map, HasSubstr("339 1339 1\n"));
}

TEST_P(Map, MapTextOverOnePage)
{
    write_file("/etc/subuid", "alice:100000:65536\n");
    Target target;
    std::vector<std::string> args{target.pid_text()};
    for (std::uint64_t i = 0; i < 250; ++i) {
        args.insert(args.end(), {std::to_string(4000000000 + i), std::to_string(100000 + i), "1"});
    }
    expect_refused(newuidmap(args), "map too long: the map text is", target);
}

TEST_P(Map, MessagesEscapeControlCharacters)
{
    Target target;
    const Result r = newuidmap({target.pid_text(), "0", "\x1b[31m\n", "1"});
    expect_refused(r, "'\\x1b[31m\\x0a' is not a plain decimal number", target);
}

// ----- the target process

TEST_P(Map, NoSuchProcess)
{
    const Result r = newuidmap({"2147483647", "0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("newuidmap: process 2147483647: no such process"));
}

TEST_P(Map, AnotherUsersProcess)
{
    Target target({Identity{bob, bob, {}}});
    const Result r = newuidmap({target.pid_text(), "0", "60001", "1"});
    expect_refused(r,
                   "process " + target.pid_text() +
                       ": it belongs to uid 60002 gid 60002, and you are uid 60001 gid 60001",
                   target);
}

TEST_P(Map, ProcessWithAnotherGid)
{
    Target target({Identity{alice, bob, {}}});
    expect_refused(newuidmap({target.pid_text(), "0", "60001", "1"}),
                   "it belongs to uid 60001 gid 60002", target);
}

TEST_P(Map, NotDumpableTarget)
{
    TargetOptions options;
    options.dumpable = false;
    Target target(options);
    const Result r = newuidmap({target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("its user namespace cannot be inspected (permission denied): "
                                 "the process is not dumpable"))
        << r;
    EXPECT_EQ(target.uid_map(), "");
}

TEST_P(Map, TargetInOurOwnUserNamespace)
{
    TargetOptions options;
    options.new_userns = false;
    Target target(options);
    const Result r = newuidmap({target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("it is in our own user namespace, not a new one")) << r;
}

TEST_P(Map, TargetInAGrandchildUserNamespace)
{
    write_file("/etc/subuid", alice_subuid);
    TargetOptions options;
    options.nested_userns = true;
    Target target(options);
    // (Its setgroups is "deny", inherited from the namespace in between.)
    for (const Result& r : {newuidmap({target.pid_text(), "0", "100000", "10"}),
                            newgidmap({target.pid_text(), "0", "60001", "1"})}) {
        EXPECT_EQ(r.status, 1) << r;
        EXPECT_EQ(r.err,
                  (r.err.starts_with("newuidmap") ? "newuidmap: process " : "newgidmap: process ") +
                      target.pid_text() + ": its user namespace is not a child of ours\n");
    }
    EXPECT_EQ(target.uid_map(), "");
    EXPECT_EQ(target.gid_map(), "");
    EXPECT_EQ(target.setgroups(), "deny");
}

TEST_P(Map, MapAlreadyWritten)
{
    write_file("/etc/subgid", "alice:100000:65536\n");
    Target target;
    expect_success(newgidmap({target.pid_text(), "0", "100000", "10"}));
    const Result r = newgidmap({target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err,
                HasSubstr("its gid_map is already written (a map can be written only once)"));
    EXPECT_EQ(target.gid_map(), "0 100000 10\n");
    // The refused request did not deny setgroups.
    EXPECT_EQ(target.setgroups(), "allow");
}

TEST_P(Map, ExitedProcess)
{
    Target target;
    target.let_exit_unreaped();
    const Result r = newuidmap({target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("the process has exited")) << r;
}

TEST_P(Map, FdTargetOfProcDirectory)
{
    write_file("/etc/subuid", alice_subuid);
    Target target;
    const int dir =
        ::open(("/proc/" + target.pid_text()).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    ASSERT_GE(dir, 0);
    RunOptions options;
    options.pass_fd = dir;
    options.pass_fd_as = 7;
    expect_success(newuidmap({"fd:7", "0", "60001", "1", "1", "100000", "65536"}, options));
    ::close(dir);
    EXPECT_EQ(target.uid_map(), "0 60001 1\n1 100000 65536\n");
}

TEST_P(Map, FdTargetThatIsNotAProcDirectory)
{
    Target target;
    const int file = ::open("/etc/passwd", O_RDONLY | O_CLOEXEC);
    const int dir = ::open("/etc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int sockets[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets), 0);
    for (int fd : {file, dir, sockets[0]}) {
        RunOptions options;
        options.pass_fd = fd;
        const Result r = newuidmap({"fd:5", "0", "60001", "1"}, options);
        EXPECT_EQ(r.status, 1);
        EXPECT_THAT(r.err, HasSubstr(fd == dir ? "target 'fd:5': descriptor 5 is a directory, but "
                                                 "not a /proc/<pid> directory on our /proc"
                                               : "target 'fd:5': descriptor 5 is neither a "
                                                 "/proc/<pid> directory on our /proc nor a pidfd"))
            << r;
    }
    const Result closed = newuidmap({"fd:9", "0", "60001", "1"});
    EXPECT_THAT(closed.err, HasSubstr("target 'fd:9': descriptor 9 is not open"));
    const Result stdin_fd = newuidmap({"fd:0", "0", "60001", "1"});
    EXPECT_THAT(stdin_fd.err, HasSubstr("descriptor 0 is neither a /proc/<pid> directory"));
    for (int fd : {file, dir, sockets[0], sockets[1]}) {
        ::close(fd);
    }
    EXPECT_EQ(target.uid_map(), "");
}

TEST_P(Map, FdTargetOfProcRootIsRefused)
{
    const int proc = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    RunOptions options;
    options.pass_fd = proc;
    const Result r = newuidmap({"fd:5", "0", "60001", "1"}, options);
    ::close(proc);
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("is not a /proc/<pid> directory (no process status in it)")) << r;
}

// ----- GRANT_AUX_GROUP_SUBIDS

TEST_P(Map, RealGidMustBePrimaryGroupByDefault)
{
    const Identity aux{alice, aux_group, {aux_group}};
    Target target({aux});
    RunOptions options;
    options.who = aux;
    expect_refused(newgidmap({target.pid_text(), "0", "60010", "1"}, options),
                   "your real gid 60010: is not your primary group 60001 from passwd "
                   "(GRANT_AUX_GROUP_SUBIDS is not \"yes\" in /etc/login.defs)",
                   target);
    write_file("/etc/login.defs", "GRANT_AUX_GROUP_SUBIDS no\n");
    expect_refused(newgidmap({target.pid_text(), "0", "60010", "1"}, options), "primary group",
                   target);
}

TEST_P(Map, GrantAuxGroupSubids)
{
    write_file("/etc/login.defs", "# site policy\nGRANT_AUX_GROUP_SUBIDS yes\n");
    const Identity aux{alice, aux_group, {aux_group}};
    Target target({aux});
    RunOptions options;
    options.who = aux;
    expect_success(newgidmap({target.pid_text(), "0", "60010", "1"}, options));
    EXPECT_EQ(target.gid_map(), "0 60010 1\n");
    EXPECT_EQ(target.setgroups(), "deny");
}

// ----- trusting /etc/subuid

TEST_P(Map, SubuidThroughSymlinkToTrustedFile)
{
    make_dir("/etc/shared");
    write_file("/etc/shared/subuid", alice_subuid);
    make_symlink("shared/subuid", "/etc/subuid");
    Target target;
    expect_success(newuidmap({target.pid_text(), "0", "100000", "65536"}));
    EXPECT_EQ(target.uid_map(), "0 100000 65536\n");
}

TEST_P(Map, SubuidNotOwnedByRoot)
{
    write_file("/etc/subuid", alice_subuid, 0644, alice, alice);
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}),
                   "/etc/subuid: the file is owned by uid 60001, not root: refusing to trust it",
                   target);
}

TEST_P(Map, SubuidWritableByOthers)
{
    write_file("/etc/subuid", alice_subuid, 0666);
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}),
                   "/etc/subuid: the file is writable by group or others (mode 0666)", target);
    write_file("/etc/subuid", alice_subuid, 0664);
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}), "(mode 0664)", target);
}

TEST_P(Map, SubuidInADirectoryTheCallerOwns)
{
    make_dir("/etc/mine", 0755, alice);
    write_file("/etc/mine/subuid", alice_subuid);
    make_symlink("/etc/mine/subuid", "/etc/subuid");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}),
                   "/etc/subuid: directory /etc/mine on its path is owned by uid 60001, not root",
                   target);
    // A sticky, world-writable directory such as /tmp is not trusted either.
    write_file(scratch() + "/subuid", alice_subuid);
    make_symlink(scratch() + "/subuid", "/etc/subuid");
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}),
                   "/etc/subuid: directory /tmp on its path is writable by group or others "
                   "(mode 1777)",
                   target);
}

TEST_P(Map, SubuidLinkToAnUntrustedFileNamesIt)
{
    make_dir("/etc/shared");
    write_file("/etc/shared/subuid", alice_subuid, 0646);
    make_symlink("/etc/shared/subuid", "/etc/subuid");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}),
                   "the file it leads to, /etc/shared/subuid, is writable", target);
}

TEST_P(Map, DanglingSubuidSymlink)
{
    make_symlink(scratch() + "/nowhere", "/etc/subuid");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}),
                   "/etc/subuid: is a symbolic link to a file that does not exist", target);
}

TEST_P(Map, SubuidThatIsADirectory)
{
    make_dir("/etc/subuid");
    Target target;
    expect_refused(newuidmap({target.pid_text(), "0", "100000", "1"}),
                   "/etc/subuid: is not a regular file", target);
}

TEST_P(Map, MissingSubuidMeansNoDelegations)
{
    Target target;
    expect_refused(
        newuidmap({target.pid_text(), "0", "100000", "1"}),
        "outer uids 100000 are not delegated to alice (uid 60001): /etc/subuid does not exist",
        target);
}

TEST_P(Map, OwnIdStillWorksWithAnUntrustedFile)
{
    write_file("/etc/subgid", "alice:100000:65536\n", 0666);
    Target target;
    expect_success(newgidmap({target.pid_text(), "0", "60001", "1"}));
    EXPECT_EQ(target.gid_map(), "0 60001 1\n");
    // It could not see a delegation, so setgroups is denied.
    EXPECT_EQ(target.setgroups(), "deny");
}

// ----- privilege

TEST_P(Map, UnprivilegedBinarySaysSo)
{
    Target target;
    const Result r = run(built().newuidmap, {target.pid_text(), "0", "60001", "1"});
    EXPECT_EQ(r.status, 1);
    EXPECT_EQ(r.err, "newuidmap: no privilege: not installed setuid root or with file "
                     "capabilities, or no_new_privs is set (CAP_SETUID is not permitted)\n");
    EXPECT_EQ(target.uid_map(), "");
}

TEST_P(Map, NoNewPrivsSaysSo)
{
    Target target;
    RunOptions options;
    options.no_new_privs = true;
    const Result r = newgidmap({target.pid_text(), "0", "60001", "1"}, options);
    EXPECT_EQ(r.status, 1);
    EXPECT_THAT(r.err, HasSubstr("or no_new_privs is set (CAP_SETGID is not permitted)"));
    EXPECT_EQ(target.gid_map(), "");
    EXPECT_EQ(target.setgroups(), "allow");
}

INSTANTIATE_TEST_SUITE_P(Installs, Map, ::testing::Values(Install::setuid, Install::fcaps),
                         install_name);
