#include "devicesim/shell_parser.h"

#include <cctype>

namespace cp::devicesim {
namespace {

struct Token {
  enum class Kind { kWord, kOperator };
  Kind kind = Kind::kWord;
  Word word;
  std::string assign_name;  // set when the word is NAME=value (value in `word`)
  std::string op;           // ";", "&&", "||", "|", "<", ">", ">>", ">&"
  int fd = -1;              // explicit fd before a redirection operator
};

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

class Lexer {
 public:
  explicit Lexer(const std::string& s) : s_(s) {}

  std::vector<Token> run() {
    while (pos_ < s_.size()) {
      const char c = s_[pos_];
      if (c == ' ' || c == '\t' || c == '\r') {
        finish_word();
        ++pos_;
      } else if (c == '\n') {
        finish_word();
        add_op(";");
        ++pos_;
      } else if (c == '#' && !in_word_) {
        while (pos_ < s_.size() && s_[pos_] != '\n') {
          ++pos_;
        }
      } else if (c == ';' || c == '|' || c == '&' || c == '<' || c == '>') {
        operator_at(c);
      } else if (c == '(' || c == ')') {
        throw ShellSyntaxError(std::string("syntax error: '") + c + "' unexpected");
      } else if (c == '\'') {
        single_quoted();
      } else if (c == '"') {
        double_quoted();
      } else if (c == '\\') {
        ++pos_;
        if (pos_ < s_.size() && s_[pos_] == '\n') {
          ++pos_;  // line continuation
        } else if (pos_ < s_.size()) {
          literal(s_[pos_++], true);
        }
      } else if (c == '$') {
        dollar();
      } else if (c == '`') {
        throw ShellSyntaxError("command substitution is not supported by the simulator");
      } else if (c == '=' && !quoted_ && !token_.word.parts.empty() && assign_candidate()) {
        token_.assign_name = token_.word.parts.front().text;
        token_.word.parts.clear();
        ++pos_;
      } else {
        literal(c, false);
        ++pos_;
      }
    }
    finish_word();
    return std::move(tokens_);
  }

 private:
  // The word so far is an unquoted NAME, before any command word: an assignment.
  bool assign_candidate() const {
    if (!token_.assign_name.empty() || token_.word.parts.size() != 1 ||
        token_.word.parts.front().is_variable || !command_start()) {
      return false;
    }
    const std::string& name = token_.word.parts.front().text;
    if (!is_name_start(name.front())) {
      return false;
    }
    for (char c : name) {
      if (!is_name_char(c)) {
        return false;
      }
    }
    return true;
  }

  // Only words before the command name can be assignments.
  bool command_start() const {
    for (auto it = tokens_.rbegin(); it != tokens_.rend(); ++it) {
      if (it->kind == Token::Kind::kOperator) {
        const std::string& op = it->op;
        return op == ";" || op == "&&" || op == "||" || op == "|";
      }
      if (it->assign_name.empty()) {
        // A plain word: either the command, or the target of a redirection.
        auto prev = it + 1;
        if (prev == tokens_.rend() || prev->kind != Token::Kind::kOperator ||
            (prev->op != "<" && prev->op != ">" && prev->op != ">>")) {
          return false;
        }
      }
    }
    return true;
  }

  void literal(char c, bool quoted) {
    in_word_ = true;
    quoted_ = quoted_ || quoted;
    auto& parts = token_.word.parts;
    if (parts.empty() || parts.back().is_variable) {
      parts.push_back({false, ""});
    }
    parts.back().text += c;
  }

  void single_quoted() {
    const size_t end = s_.find('\'', pos_ + 1);
    if (end == std::string::npos) {
      throw ShellSyntaxError("no closing quote");
    }
    in_word_ = true;
    quoted_ = true;
    if (token_.word.parts.empty() || token_.word.parts.back().is_variable) {
      token_.word.parts.push_back({false, ""});
    }
    token_.word.parts.back().text += s_.substr(pos_ + 1, end - pos_ - 1);
    pos_ = end + 1;
  }

  void double_quoted() {
    in_word_ = true;
    quoted_ = true;
    if (token_.word.parts.empty()) {
      token_.word.parts.push_back({false, ""});  // "" is an empty word, not no word
    }
    ++pos_;
    while (true) {
      if (pos_ >= s_.size()) {
        throw ShellSyntaxError("no closing quote");
      }
      const char c = s_[pos_];
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c == '\\' && pos_ + 1 < s_.size() &&
          std::string_view("$`\"\\\n").find(s_[pos_ + 1]) != std::string_view::npos) {
        if (s_[pos_ + 1] != '\n') {
          literal(s_[pos_ + 1], true);
        }
        pos_ += 2;
      } else if (c == '$') {
        dollar();
      } else if (c == '`') {
        throw ShellSyntaxError("command substitution is not supported by the simulator");
      } else {
        literal(c, true);
        ++pos_;
      }
    }
  }

  void dollar() {
    const size_t start = pos_ + 1;
    std::string name;
    if (start < s_.size() && std::string_view("?$#!").find(s_[start]) != std::string_view::npos) {
      name = s_.substr(start, 1);
      pos_ = start + 1;
    } else if (start < s_.size() && std::isdigit(static_cast<unsigned char>(s_[start]))) {
      name = s_.substr(start, 1);
      pos_ = start + 1;
    } else if (start < s_.size() && s_[start] == '{') {
      const size_t end = s_.find('}', start);
      if (end == std::string::npos) {
        throw ShellSyntaxError("${: bad substitution");
      }
      name = s_.substr(start + 1, end - start - 1);
      if (name.empty()) {
        throw ShellSyntaxError("${}: bad substitution");
      }
      pos_ = end + 1;
    } else if (start < s_.size() && s_[start] == '(') {
      throw ShellSyntaxError("command substitution is not supported by the simulator");
    } else if (start < s_.size() && is_name_start(s_[start])) {
      size_t end = start;
      while (end < s_.size() && is_name_char(s_[end])) {
        ++end;
      }
      name = s_.substr(start, end - start);
      pos_ = end;
    } else {
      literal('$', false);  // a lone '$' is itself
      ++pos_;
      return;
    }
    in_word_ = true;
    token_.word.parts.push_back({true, name});
  }

  void operator_at(char c) {
    // "2>" / "2>>" / "0<": a lone digit just before the operator is its fd.
    int fd = -1;
    if ((c == '<' || c == '>') && in_word_ && !quoted_ && token_.assign_name.empty() &&
        token_.word.parts.size() == 1 && !token_.word.parts[0].is_variable &&
        token_.word.parts[0].text.size() == 1 &&
        std::isdigit(static_cast<unsigned char>(token_.word.parts[0].text[0]))) {
      fd = token_.word.parts[0].text[0] - '0';
      token_ = Token{};
      in_word_ = false;
    }
    finish_word();
    const char next = pos_ + 1 < s_.size() ? s_[pos_ + 1] : '\0';
    std::string op(1, c);
    if ((c == '&' || c == '|' || c == '>') && next == c) {
      op += next;
    } else if (c == '>' && next == '&') {
      op = ">&";
    } else if (c == '&') {
      throw ShellSyntaxError("background jobs ('&') are not supported by the simulator");
    } else if (c == ';' && next == ';') {
      throw ShellSyntaxError("syntax error: ';;' unexpected");
    }
    pos_ += op.size();
    add_op(op, fd);
  }

  void add_op(const std::string& op, int fd = -1) {
    Token t;
    t.kind = Token::Kind::kOperator;
    t.op = op;
    t.fd = fd;
    tokens_.push_back(std::move(t));
  }

  void finish_word() {
    if (in_word_ || !token_.assign_name.empty()) {
      tokens_.push_back(std::move(token_));
    }
    token_ = Token{};
    in_word_ = false;
    quoted_ = false;
  }

  const std::string& s_;
  size_t pos_ = 0;
  std::vector<Token> tokens_;
  Token token_;
  bool in_word_ = false;
  bool quoted_ = false;
};

}  // namespace

Script parse_shell(const std::string& line) {
  const std::vector<Token> tokens = Lexer(line).run();
  Script script;
  Pipeline pipeline;
  SimpleCommand command;
  Connector connector = Connector::kAlways;
  bool after_pipe = false;
  auto command_empty = [&] {
    return command.words.empty() && command.assignments.empty() && command.redirects.empty();
  };
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    if (t.kind == Token::Kind::kWord) {
      if (!t.assign_name.empty() && command.words.empty()) {
        command.assignments.emplace_back(t.assign_name, t.word);
      } else if (!t.assign_name.empty()) {
        // After the command name, NAME=value is an ordinary argument.
        Word w;
        w.parts.push_back({false, t.assign_name + "="});
        w.parts.insert(w.parts.end(), t.word.parts.begin(), t.word.parts.end());
        command.words.push_back(std::move(w));
      } else {
        command.words.push_back(t.word);
      }
      continue;
    }
    const std::string& op = t.op;
    if (op == "<" || op == ">" || op == ">>" || op == ">&") {
      if (i + 1 >= tokens.size() || tokens[i + 1].kind != Token::Kind::kWord) {
        throw ShellSyntaxError("syntax error: unexpected " +
                               (i + 1 < tokens.size() ? "'" + tokens[i + 1].op + "'" : "newline"));
      }
      Redirect r;
      r.kind = op == "<"    ? Redirect::Kind::kInput
               : op == ">>" ? Redirect::Kind::kAppend
               : op == ">"  ? Redirect::Kind::kOutput
                            : Redirect::Kind::kDuplicate;
      r.fd = t.fd >= 0 ? t.fd : (op == "<" ? 0 : 1);
      const Word& target = tokens[i + 1].word;
      if (r.kind == Redirect::Kind::kDuplicate) {
        if (target.parts.size() != 1 || target.parts[0].is_variable ||
            (target.parts[0].text != "1" && target.parts[0].text != "2")) {
          throw ShellSyntaxError("syntax error: only >&1 and >&2 are supported by the simulator");
        }
        r.target_fd = target.parts[0].text[0] - '0';
      } else {
        r.target = target;
      }
      command.redirects.push_back(std::move(r));
      ++i;
      continue;
    }
    // A separator: ';', '&&', '||' or '|'.
    if (command_empty()) {
      if (op == ";" && pipeline.commands.empty()) {
        if (connector == Connector::kAlways) {
          continue;  // empty lines and stray ';' separate nothing
        }
      }
      throw ShellSyntaxError("syntax error: '" + op + "' unexpected");
    }
    pipeline.commands.push_back(std::move(command));
    command = SimpleCommand{};
    after_pipe = op == "|";
    if (after_pipe) {
      continue;
    }
    script.items.emplace_back(connector, std::move(pipeline));
    pipeline = Pipeline{};
    connector = op == "&&"   ? Connector::kIfSuccess
                : op == "||" ? Connector::kIfFailure
                             : Connector::kAlways;
  }
  if (!command_empty()) {
    pipeline.commands.push_back(std::move(command));
  } else if (after_pipe || (pipeline.commands.empty() && connector != Connector::kAlways)) {
    throw ShellSyntaxError("syntax error: unexpected end of input");
  }
  if (!pipeline.commands.empty()) {
    script.items.emplace_back(connector, std::move(pipeline));
  }
  return script;
}

}  // namespace cp::devicesim
