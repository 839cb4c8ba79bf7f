#include "cmdline.hpp"

#include "decimal.hpp"
#include "error.hpp"
#include "text.hpp"

#include "idmap_config.hpp"

#include <boost/program_options.hpp>

#include <sstream>

namespace po = boost::program_options;

namespace idmap {

namespace {

constexpr std::uint64_t max_pid = 2147483647;

po::options_description option_descriptions()
{
    po::options_description options("Options (only as the first argument)");
    options.add_options()                                                       //
        ("help", "print this help and exit")                                    //
        ("version", "print the version and exit")                               //
        ("list", "list the ranges delegated to you, \"start count\" per line")  //
        ("check", "check the delegation file (or FILE) for mistakes: [FILE]");
    return options;
}

// Boost substitutes "%canonical_option%" and the like into its messages and
// loops for ever when an option name itself contains such a placeholder, so
// only plain option names reach it.
void check_option_spelling(std::string_view word)
{
    if (!word.starts_with("-")) {
        return;
    }
    // No "--option=value" either: Boost substitutes the value too.
    for (char c : word) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
            throw Failure("command line", "unrecognised option " + quote(word));
        }
    }
}

Command parse_options(std::span<const std::string_view> words)
{
    for (std::string_view word : words) {
        check_option_spelling(word);
    }
    const std::vector<std::string> tokens(words.begin(), words.end());
    po::options_description visible = option_descriptions();
    po::options_description all;
    all.add(visible).add_options()("file", po::value<std::string>());
    po::positional_options_description positional;
    positional.add("file", 1);
    po::variables_map vm;
    try {
        // No guessing: "--he" is an error, not --help.
        const int style =
            po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        po::store(
            po::command_line_parser(tokens).options(all).positional(positional).style(style).run(),
            vm);
    } catch (const po::too_many_positional_options_error&) {
        throw Failure(quote(words.front()), "takes at most one further argument");
    } catch (const po::error& e) {
        // Boost's messages quote the user's text: escape it all.
        throw Failure("command line", escape(e.what()));
    }
    const int given = static_cast<int>(vm.count("help") + vm.count("version") + vm.count("list") +
                                       vm.count("check"));
    if (given != 1) {
        throw Failure("command line", "give one of --help, --version, --list and --check");
    }
    const bool file = vm.count("file") != 0;
    if (file && vm.count("check") == 0) {
        throw Failure(quote(words.front()), "takes no further arguments");
    }
    if (vm.count("help") != 0) {
        return ShowHelp{};
    }
    if (vm.count("version") != 0) {
        return ShowVersion{};
    }
    if (vm.count("list") != 0) {
        return ListRanges{};
    }
    CheckFile check;
    if (file) {
        check.file = vm["file"].as<std::string>();
    }
    return check;
}

}  // namespace

TargetSpec parse_target(std::string_view word)
{
    TargetSpec target;
    target.text = std::string(word);
    if (word.starts_with("fd:")) {
        const std::string_view digits = word.substr(3);
        const ParsedDecimal fd = parse_decimal(digits, max_pid);
        if (!fd.ok()) {
            throw Failure("target " + quote(word),
                          "the descriptor " + describe_decimal_error(fd.error, digits, max_pid));
        }
        target.form = TargetSpec::Form::fd;
        target.number = static_cast<int>(fd.value);
        return target;
    }
    const ParsedDecimal pid = parse_decimal(word, max_pid);
    if (!pid.ok() || pid.value == 0) {
        throw Failure("target " + quote(word),
                      pid.ok() ? std::string("0 is not a process id")
                               : describe_decimal_error(pid.error, word, max_pid) +
                                     "; give a process id or fd:<N>");
    }
    target.form = TargetSpec::Form::pid;
    target.number = static_cast<int>(pid.value);
    return target;
}

Command parse_command_line(std::span<const std::string_view> words)
{
    if (words.empty()) {
        return ShowUsage{};
    }
    if (words.front().starts_with("-")) {
        return parse_options(words);
    }
    MapRequest request;
    request.target = parse_target(words.front());
    request.mappings = parse_mappings(words.subspan(1));
    return request;
}

std::string usage_text(IdKind kind)
{
    const std::string program = traits(kind).program;
    return "usage: " + program +
           " <pid>|fd:<N> <inner> <outer> <count> [<inner> <outer> <count>]...\n"
           "       " +
           program + " --list | --check [FILE] | --help | --version\n";
}

std::string help_text(IdKind kind)
{
    const KindTraits& t = traits(kind);
    const std::string id = t.id_word;
    std::ostringstream out;
    out << usage_text(kind) << "\n"
        << "Write the " << id << " map of a process in a new user namespace, after checking\n"
        << "every range against the " << id << "s delegated to you in " << t.subid_path << ".\n\n"
        << "  <pid>      the target process, or\n"
        << "  fd:<N>     an inherited pidfd of it, or a descriptor of its /proc/<pid>\n"
        << "  <inner>    first " << id << " inside the namespace\n"
        << "  <outer>    first " << id << " outside it (in your namespace)\n"
        << "  <count>    length of both ranges\n\n"
        << "Your own " << id << " (count 1) is always allowed; anything else must be\n"
        << "delegated to you. Numbers are plain decimal. Exit status 0 on success, 1 on\n"
        << "any failure, with one message per problem on standard error.\n\n"
        << option_descriptions();
    return out.str();
}

std::string version_text(IdKind kind)
{
    return std::string(traits(kind).program) + " " + IDMAP_VERSION + "\n";
}

}  // namespace idmap
