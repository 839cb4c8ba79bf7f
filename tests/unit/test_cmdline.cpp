#include "cmdline.hpp"
#include "error.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace idmap;
using ::testing::HasSubstr;

namespace {

Command parse(std::vector<std::string_view> words)
{
    return parse_command_line(words);
}

std::string error_of(std::vector<std::string_view> words)
{
    try {
        (void)parse(std::move(words));
    } catch (const Failure& f) {
        return f.what();
    }
    return "(no error)";
}

}  // namespace

TEST(CommandLine, NoArgumentsIsUsage)
{
    EXPECT_TRUE(std::holds_alternative<ShowUsage>(parse({})));
    EXPECT_THAT(usage_text(IdKind::uid), HasSubstr("usage: newuidmap <pid>|fd:<N>"));
    EXPECT_THAT(usage_text(IdKind::gid), HasSubstr("usage: newgidmap <pid>|fd:<N>"));
}

TEST(CommandLine, HelpAndVersion)
{
    EXPECT_TRUE(std::holds_alternative<ShowHelp>(parse({"--help"})));
    EXPECT_TRUE(std::holds_alternative<ShowVersion>(parse({"--version"})));
    EXPECT_THAT(help_text(IdKind::gid), HasSubstr("/etc/subgid"));
    EXPECT_THAT(help_text(IdKind::uid), HasSubstr("--version"));
    EXPECT_THAT(version_text(IdKind::uid), HasSubstr("newuidmap "));
}

TEST(CommandLine, NoAbbreviationsNorUnknownOptions)
{
    EXPECT_THAT(error_of({"--he"}), HasSubstr("unrecognised option '--he'"));
    EXPECT_THAT(error_of({"--helpx"}), HasSubstr("unrecognised option"));
    EXPECT_THAT(error_of({"-h"}), HasSubstr("unrecognised option '-h'"));
    EXPECT_THAT(error_of({"-1", "0", "0", "1"}), HasSubstr("unrecognised option '-1'"));
    EXPECT_THAT(error_of({"--help", "1"}), HasSubstr("'--help': takes no further arguments"));
    EXPECT_THAT(error_of({"--help", "--version"}),
                HasSubstr("give one of --help, --version, --list and --check"));
}

TEST(CommandLine, OptionsOnlyAsFirstWord)
{
    EXPECT_THAT(error_of({"123", "--help", "0", "1"}),
                HasSubstr("'--help' is not a plain decimal"));
    EXPECT_THAT(error_of({"123", "-1", "0", "1"}), HasSubstr("triple 1: inner: '-1'"));
}

TEST(CommandLine, BoostPlaceholdersInOptionsDoNotHang)
{
    // Found by fuzzing: Boost looped for ever substituting this into its message.
    EXPECT_THAT(error_of({"-\270option '%canonical_option%'655d"}),
                HasSubstr("unrecognised option '-\\xb8option '%canonical_option%'655d'"));
    EXPECT_THAT(error_of({"--%canonical_option%"}), HasSubstr("unrecognised option"));
    EXPECT_THAT(error_of({"--help=%prefix%"}), HasSubstr("unrecognised option '--help=%prefix%'"));
    // Found by fuzzing too: the value after '=' is substituted as well.
    EXPECT_THAT(error_of({"----=\270option '%canonical_option%'655d"}),
                HasSubstr("unrecognised option"));
    EXPECT_THAT(error_of({"--check", "--%canonical_option%"}), HasSubstr("unrecognised option"));
}

TEST(CommandLine, ListAndCheck)
{
    EXPECT_TRUE(std::holds_alternative<ListRanges>(parse({"--list"})));
    const auto check = std::get<CheckFile>(parse({"--check"}));
    EXPECT_FALSE(check.file.has_value());
    const auto with_file = std::get<CheckFile>(parse({"--check", "/srv/subuid"}));
    EXPECT_EQ(with_file.file, "/srv/subuid");
    EXPECT_THAT(error_of({"--list", "x"}), HasSubstr("'--list': takes no further arguments"));
    EXPECT_THAT(error_of({"--check", "a", "b"}), HasSubstr("takes at most one further argument"));
    EXPECT_THAT(error_of({"--lis"}), HasSubstr("unrecognised option '--lis'"));
    EXPECT_THAT(error_of({"--list", "--check"}), HasSubstr("give one of"));
    EXPECT_THAT(help_text(IdKind::uid), HasSubstr("--check"));
}

TEST(CommandLine, OptionErrorsAreEscaped)
{
    EXPECT_THAT(error_of({"--\x1b[2J"}), HasSubstr("\\x1b[2J"));
}

TEST(CommandLine, PidTarget)
{
    const auto command = parse({"1234", "0", "60001", "1"});
    const auto& request = std::get<MapRequest>(command);
    EXPECT_EQ(request.target.form, TargetSpec::Form::pid);
    EXPECT_EQ(request.target.number, 1234);
    ASSERT_EQ(request.mappings.size(), 1U);
    EXPECT_EQ(request.mappings[0], (IdMapping{0, 60001, 1}));
}

TEST(CommandLine, TargetBounds)
{
    EXPECT_EQ(parse_target("1").number, 1);
    EXPECT_EQ(parse_target("2147483647").number, 2147483647);
    EXPECT_THAT(error_of({"0", "0", "0", "1"}), HasSubstr("target '0': 0 is not a process id"));
    EXPECT_THAT(error_of({"2147483648", "0", "0", "1"}), HasSubstr("too large"));
    EXPECT_THAT(error_of({"0123", "0", "0", "1"}), HasSubstr("leading zero"));
    EXPECT_THAT(error_of({"12a", "0", "0", "1"}), HasSubstr("give a process id or fd:<N>"));
}

TEST(CommandLine, FdTarget)
{
    const TargetSpec fd = parse_target("fd:3");
    EXPECT_EQ(fd.form, TargetSpec::Form::fd);
    EXPECT_EQ(fd.number, 3);
    EXPECT_EQ(parse_target("fd:0").number, 0);
    EXPECT_THAT(error_of({"fd:", "0", "0", "1"}), HasSubstr("the descriptor empty"));
    EXPECT_THAT(error_of({"fd:03", "0", "0", "1"}), HasSubstr("leading zero"));
    EXPECT_THAT(error_of({"fd:-1", "0", "0", "1"}), HasSubstr("not a plain decimal"));
    EXPECT_THAT(error_of({"FD:3", "0", "0", "1"}), HasSubstr("target 'FD:3'"));
}

TEST(CommandLine, TargetWithoutTriplesIsAnError)
{
    EXPECT_THAT(error_of({"1234"}), HasSubstr("no mapping"));
}
