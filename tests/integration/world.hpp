// A test world for the privileged integration tests (shared/TESTING.md):
// the whole test process runs in a private mount namespace; every test gets
// a copy-on-write /etc (an overlay on a tmpfs) holding fixture users and
// files, installed copies of the helpers (setuid root, or file
// capabilities), unprivileged callers and real target processes in new user
// namespaces. Nothing on the host changes; every wait is bounded.
#pragma once

#include <gtest/gtest.h>

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace world {

// Fixture identities (no such users on the host; they exist only in the world's /etc).
inline constexpr uid_t alice = 60001;      // the usual caller
inline constexpr uid_t bob = 60002;        // another user
inline constexpr uid_t ghost = 60050;      // has no passwd entry
inline constexpr gid_t aux_group = 60010;  // a group alice is a member of

// What every world's /etc/passwd and /etc/group hold at the start.
extern const char* const passwd_fixture;
extern const char* const group_fixture;

enum class Install { setuid, fcaps };
std::string to_string(Install install);
// Names parameterised tests ".../setuid" and ".../fcaps".
std::string install_name(const ::testing::TestParamInfo<Install>& param);

// The helpers as the tests install them.
struct Helpers {
    std::string newuidmap;
    std::string newgidmap;
};
const Helpers& installed(Install install);
// The freshly built, unprivileged binaries (to test the self-check).
const Helpers& built();

struct Identity {
    uid_t uid = alice;
    gid_t gid = alice;
    std::vector<gid_t> groups;
};

struct TargetOptions {
    Identity who;
    bool new_userns = true;      // false: stays in our user namespace
    bool nested_userns = false;  // a second unshare: a grandchild of ours
    bool dumpable = true;
    bool deny_setgroups_first = false;  // writes "deny" to its own setgroups
    bool clone3 = false;                // created with clone3(CLONE_PIDFD) instead of fork
};

// A process blocked until the object is destroyed (or release() is called).
class Target {
public:
    explicit Target(const TargetOptions& options = {});
    Target(const Target&) = delete;
    Target& operator=(const Target&) = delete;
    ~Target();

    [[nodiscard]] pid_t pid() const { return pid_; }
    [[nodiscard]] std::string pid_text() const { return std::to_string(pid_); }
    // Lets the process exit but does not reap it: it stays a zombie.
    void let_exit_unreaped();
    // Lets it exit and reaps it (its pid may then be reused).
    void exit_and_reap();
    // A pidfd: the one clone3 returned, or a new one from pidfd_open.
    [[nodiscard]] int pidfd();

    [[nodiscard]] std::string uid_map() const;  // normalised: "a b c\n" per line
    [[nodiscard]] std::string gid_map() const;
    [[nodiscard]] std::string setgroups() const;  // "allow" / "deny"

private:
    pid_t pid_ = -1;
    int release_fd_ = -1;
    int pidfd_ = -1;
    bool reaped_ = false;
};

struct Interruption {
    std::chrono::microseconds delay{0};  // after fork, before the signal
    int signal = 9;                      // SIGKILL or SIGSTOP
    // With SIGSTOP: called while the helper is stopped, before it is killed.
    std::function<void()> while_stopped;
};

struct RunOptions {
    Identity who;
    std::vector<std::string> env;  // for the exec'd program
    std::optional<int> pass_fd;    // dup'd to fd number pass_fd_as
    int pass_fd_as = 5;
    bool no_new_privs = false;
    std::vector<int> close_fds;                         // e.g. {0, 1, 2}
    std::vector<std::pair<int, std::uint64_t>> limits;  // setrlimit(resource, soft = hard)
    bool empty_argv = false;                            // execve with argc == 0
    bool block_all_signals = false;
    bool ignore_all_signals = false;
    std::optional<Interruption> interrupt;
    bool measure_rss = false;  // run through peak-rss to fill Result::max_rss_kb
    // Called in the test process while the program runs, with its pid.
    std::function<void(pid_t)> during;
    std::chrono::seconds timeout{20};
};

struct Result {
    int status = -1;  // exit status, or 128 + signal, or -1 on timeout
    std::string out;
    std::string err;
    long max_rss_kb = 0;  // peak RSS of the program, with RunOptions::measure_rss
};

// Runs program with args as the given identity; captures stdout and stderr.
Result run(const std::string& program, const std::vector<std::string>& args,
           const RunOptions& options = {});

// Normalises the kernel's "%10u %10u %10u\n" lines to "a b c\n".
std::string normalise_map(const std::string& text);

// gtest printer for failures.
std::ostream& operator<<(std::ostream& out, const Result& result);

// Per-test world: a fresh /etc overlay with fixture passwd/group, no
// subuid/subgid (tests write what they need), and the parameterised install.
class WorldTest : public ::testing::TestWithParam<Install> {
protected:
    void SetUp() override;
    void TearDown() override;

    // Writes a file in the world (path absolute; /etc is the overlay).
    static void write_file(const std::string& path, const std::string& content, mode_t mode = 0644,
                           uid_t owner = 0, gid_t group = 0);
    static void remove_file(const std::string& path);
    static void make_symlink(const std::string& target, const std::string& path);
    static void make_dir(const std::string& path, mode_t mode = 0755, uid_t owner = 0);

    [[nodiscard]] const Helpers& helpers() const { return installed(GetParam()); }
    Result newuidmap(const std::vector<std::string>& args, const RunOptions& options = {}) const;
    Result newgidmap(const std::vector<std::string>& args, const RunOptions& options = {}) const;

    // Makes /usr/bin/newuidmap and /usr/bin/newgidmap (shadow's) unusable
    // in this world, so that a client can only have used ours.
    void hide_shadow_helpers();

    // Puts the test plugins (libsubid_fixture.so, libsubid_nofree.so,
    // libsubid_nohas.so) where dlopen finds them by bare name: an overlay
    // over the system library directory, in this world only.
    void install_subid_plugins();

    // What the helpers sent to syslog (/dev/log is a socket of this world's),
    // one string per message, oldest first; reading takes them.
    std::vector<std::string> syslog_messages();

    // A scratch directory for this test, removed afterwards.
    [[nodiscard]] const std::string& scratch() const { return scratch_; }

private:
    std::string scratch_;
    std::vector<std::string> mounts_;  // unmounted in TearDown, last first
    int syslog_fd_ = -1;
};

// Whether a program is installed (for tests that skip without it).
bool have_program(const std::string& path);

}  // namespace world
