#include "devicesim/shell_parser.h"

#include <gtest/gtest.h>

namespace cp::devicesim {
namespace {

// The literal text of a word whose parts are all literal ("$X" shown as ${X}).
std::string text(const Word& word) {
  std::string s;
  for (const auto& p : word.parts) {
    s += p.is_variable ? "${" + p.text + "}" : p.text;
  }
  return s;
}

std::vector<std::string> words(const std::string& line) {
  const Script script = parse_shell(line);
  EXPECT_EQ(script.items.size(), 1u);
  std::vector<std::string> out;
  for (const auto& w : script.items.at(0).second.commands.at(0).words) {
    out.push_back(text(w));
  }
  return out;
}

using V = std::vector<std::string>;

TEST(ShellParser, SplitsWordsOnBlanks) {
  EXPECT_EQ(words("  pm   list\tpackages "), (V{"pm", "list", "packages"}));
}

TEST(ShellParser, SingleQuotesAreLiteral) {
  EXPECT_EQ(words("echo 'a  b' '$HOME' 'x\\y'"), (V{"echo", "a  b", "$HOME", "x\\y"}));
}

TEST(ShellParser, DoubleQuotesKeepVariablesAndEscapes) {
  EXPECT_EQ(words("echo \"a $X b\" \"q\\\"q\" \"\\$X\" \"\\n\""),
            (V{"echo", "a ${X} b", "q\"q", "$X", "\\n"}));
}

TEST(ShellParser, BackslashEscapesOutsideQuotes) {
  EXPECT_EQ(words("echo a\\ b \\; \\'"), (V{"echo", "a b", ";", "'"}));
}

TEST(ShellParser, AdjacentQuotedPartsMakeOneWord) {
  EXPECT_EQ(words("echo ab'cd'\"ef\" '' \"\""), (V{"echo", "abcdef", "", ""}));
}

TEST(ShellParser, VariableForms) {
  EXPECT_EQ(words("echo $? $$ ${NAME}x $NAME.y $1 a$"),
            (V{"echo", "${?}", "${$}", "${NAME}x", "${NAME}.y", "${1}", "a$"}));
}

TEST(ShellParser, Connectors) {
  const Script s = parse_shell("a; b && c || d\ne");
  ASSERT_EQ(s.items.size(), 5u);
  EXPECT_EQ(s.items[0].first, Connector::kAlways);
  EXPECT_EQ(s.items[1].first, Connector::kAlways);
  EXPECT_EQ(s.items[2].first, Connector::kIfSuccess);
  EXPECT_EQ(s.items[3].first, Connector::kIfFailure);
  EXPECT_EQ(s.items[4].first, Connector::kAlways);
}

TEST(ShellParser, PipesAndRedirections) {
  const Script s = parse_shell("ls -l >out 2>&1 | cat <in 2>>/dev/null");
  ASSERT_EQ(s.items.size(), 1u);
  const auto& cmds = s.items[0].second.commands;
  ASSERT_EQ(cmds.size(), 2u);
  ASSERT_EQ(cmds[0].redirects.size(), 2u);
  EXPECT_EQ(cmds[0].redirects[0].kind, Redirect::Kind::kOutput);
  EXPECT_EQ(text(cmds[0].redirects[0].target), "out");
  EXPECT_EQ(cmds[0].redirects[1].kind, Redirect::Kind::kDuplicate);
  EXPECT_EQ(cmds[0].redirects[1].fd, 2);
  EXPECT_EQ(cmds[0].redirects[1].target_fd, 1);
  ASSERT_EQ(cmds[1].redirects.size(), 2u);
  EXPECT_EQ(cmds[1].redirects[0].kind, Redirect::Kind::kInput);
  EXPECT_EQ(cmds[1].redirects[1].kind, Redirect::Kind::kAppend);
  EXPECT_EQ(cmds[1].redirects[1].fd, 2);
  EXPECT_EQ(cmds[1].words.size(), 1u);
}

TEST(ShellParser, AssignmentsOnlyBeforeTheCommand) {
  const Script s = parse_shell("CLASSPATH=/data/local/tmp/x.jar A='b c' app_process / X=1");
  const auto& cmd = s.items.at(0).second.commands.at(0);
  ASSERT_EQ(cmd.assignments.size(), 2u);
  EXPECT_EQ(cmd.assignments[0].first, "CLASSPATH");
  EXPECT_EQ(text(cmd.assignments[0].second), "/data/local/tmp/x.jar");
  EXPECT_EQ(text(cmd.assignments[1].second), "b c");
  ASSERT_EQ(cmd.words.size(), 3u);
  EXPECT_EQ(text(cmd.words[2]), "X=1");
}

TEST(ShellParser, QuotedEqualsIsNotAnAssignment) {
  EXPECT_EQ(words("'A=1' echo"), (V{"A=1", "echo"}));
}

TEST(ShellParser, CommentsAndEmptyInput) {
  EXPECT_TRUE(parse_shell("").items.empty());
  EXPECT_TRUE(parse_shell("  # nothing").items.empty());
  EXPECT_EQ(words("echo a # b"), (V{"echo", "a"}));
  EXPECT_EQ(words("echo a#b"), (V{"echo", "a#b"}));
}

TEST(ShellParser, SyntaxErrors) {
  for (const char* bad : {"echo 'open", "echo \"open", "&& ls", "ls &&", "ls |", "ls ; | x", "ls >",
                          "echo $(id)", "echo `id`", "sleep 1 &", "(ls)", "ls ;; x"}) {
    EXPECT_THROW(parse_shell(bad), ShellSyntaxError) << bad;
  }
}

}  // namespace
}  // namespace cp::devicesim
