#include "nsswitch.hpp"
#include "passwd_file.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace idmap;

namespace {

PasswdLine::Kind kind_of(std::string_view line)
{
    return parse_passwd_line(line).kind;
}

}  // namespace

TEST(PasswdFile, PlainEntry)
{
    const PasswdLine line = parse_passwd_line("alice:x:60001:60010:Alice,,,:/home/alice:/bin/sh");
    ASSERT_EQ(line.kind, PasswdLine::Kind::entry);
    EXPECT_EQ(line.name, "alice");
    EXPECT_EQ(line.uid, 60001U);
    EXPECT_EQ(line.gid, 60010U);
    // Empty gecos, home and shell are plain too.
    EXPECT_EQ(kind_of("svc:*:101:65534:::"), PasswdLine::Kind::entry);
    EXPECT_EQ(parse_passwd_line("top:x:4294967294:0::/:").uid, 4294967294U);
}

TEST(PasswdFile, BlankAndCommentLinesArePassedOver)
{
    EXPECT_EQ(kind_of(""), PasswdLine::Kind::skip);
    EXPECT_EQ(kind_of("  \t"), PasswdLine::Kind::skip);
    EXPECT_EQ(kind_of("# alice:x:1:1::/:/bin/sh"), PasswdLine::Kind::skip);
    EXPECT_EQ(kind_of("   # indented comment"), PasswdLine::Kind::skip);
}

TEST(PasswdFile, AnythingLibcMightReadDifferentlyIsUnusual)
{
    for (const char* line : {
             "+::::::",  // NIS compat entries
             "+alice::::::",
             "-bob:x:1:1::/:/bin/sh",
             " alice:x:60001:60001::/:/bin/sh",   // glibc skips the blank
             "alice:x:60001:60001::/",            // six fields
             "alice:x:60001:60001::/:/bin/sh:x",  // eight
             "alice:x:+60001:60001::/:/bin/sh",   // strtoul takes a sign
             "alice:x: 60001:60001::/:/bin/sh",   // and blanks
             "alice:x:060001:60001::/:/bin/sh",   // and leading zeros
             "alice:x::60001::/:/bin/sh",         // an empty uid
             "alice:x:60001:0x10::/:/bin/sh",
             "alice:x:4294967295:1::/:/bin/sh",  // (uid_t)-1
             "alice:x:99999999999:1::/:/bin/sh",
             ":x:1:1::/:/bin/sh",  // no name
             "al ice:x:1:1::/:/bin/sh",
             "al\x01ice:x:1:1::/:/bin/sh",
         }) {
        EXPECT_EQ(kind_of(line), PasswdLine::Kind::unusual) << line;
    }
}

TEST(PasswdFile, FilesFirst)
{
    EXPECT_TRUE(passwd_files_first("passwd: files\n"));
    EXPECT_TRUE(passwd_files_first("passwd:         files systemd sss\ngroup: files\n"));
    EXPECT_TRUE(passwd_files_first("# comment\n  passwd: files # trailing\n"));
    EXPECT_FALSE(passwd_files_first(""));  // glibc's default
    EXPECT_FALSE(passwd_files_first("group: files\n"));
    EXPECT_FALSE(passwd_files_first("passwd: sss files\n"));
    EXPECT_FALSE(passwd_files_first("passwd: compat\n"));
    EXPECT_FALSE(passwd_files_first("passwd: files [SUCCESS=continue] sss\n"));
    EXPECT_FALSE(passwd_files_first("passwd:\n"));
    EXPECT_FALSE(passwd_files_first("passwd: files\nPASSWD: sss\n"));  // two lines
    EXPECT_FALSE(passwd_files_first("#passwd: files\n"));
}

TEST(PasswdFile, FilesOnly)
{
    EXPECT_TRUE(passwd_files_only("passwd: files\n"));
    EXPECT_FALSE(passwd_files_only("passwd: files systemd\n"));
    EXPECT_FALSE(passwd_files_only("passwd: files [NOTFOUND=return]\n"));
    EXPECT_FALSE(passwd_files_only(""));
}

TEST(Nsswitch, DatabaseLinesKeepActions)
{
    const auto lines = nss_database_lines("passwd: files [NOTFOUND=return] sss\n", "passwd");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0], (std::vector<std::string>{"files", "[NOTFOUND=return]", "sss"}));
}
