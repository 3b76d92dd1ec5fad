#pragma once
// Parsing for the simulated device's sh. Turns a command line into a Script:
//   script    := pipeline ((';' | '&&' | '||' | newline) pipeline)*
//   pipeline  := command ('|' command)*
//   command   := (NAME=word)* (word | redirect)*
//   redirect  := [fd] ('<' | '>' | '>>') word | [fd] '>&' fd
// Words keep their variable references ($NAME, ${NAME}, $?, $$, $#, $0-$9) unexpanded, since `$?`
// changes between commands; quotes and backslashes are resolved here. Not supported (a clear
// syntax error, not a silent misreading): `&` jobs, subshells, command substitution, globs.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace cp::devicesim {

struct ShellSyntaxError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct WordPart {
  bool is_variable = false;  // text is the variable's name
  std::string text;
};

struct Word {
  std::vector<WordPart> parts;
};

struct Redirect {
  enum class Kind { kInput, kOutput, kAppend, kDuplicate };
  int fd = 1;
  Kind kind = Kind::kOutput;
  Word target;         // file name (not used for kDuplicate)
  int target_fd = -1;  // for kDuplicate: `2>&1` has fd 2, target_fd 1
};

struct SimpleCommand {
  std::vector<std::pair<std::string, Word>> assignments;  // NAME=value before the command
  std::vector<Word> words;
  std::vector<Redirect> redirects;
};

struct Pipeline {
  std::vector<SimpleCommand> commands;
};

enum class Connector { kAlways, kIfSuccess, kIfFailure };  // ';'  '&&'  '||'

struct Script {
  std::vector<std::pair<Connector, Pipeline>> items;  // the first item's connector is kAlways
};

// Throws ShellSyntaxError with mksh-like wording.
Script parse_shell(const std::string& line);

}  // namespace cp::devicesim
