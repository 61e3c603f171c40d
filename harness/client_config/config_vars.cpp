#include "harness/client_config/config_vars.h"

#include <algorithm>
#include <cctype>

namespace mcpleak {
namespace {

bool is_shell_name(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s.front()))) return false;
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

std::string basename_of(const std::string& path) {
  std::string p = path;
  while (p.size() > 1 && p.back() == '/') p.pop_back();
  const auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

struct Expander {
  const VarSyntax& syntax;
  const VarContext& ctx;
  std::string_view subject;
  const std::vector<InputSpec>& inputs;
  Expanded out;

  std::optional<std::string> explicit_var(const std::string& name) const {
    const auto it = ctx.vars.find(name);
    if (it == ctx.vars.end()) return std::nullopt;
    return it->second;
  }

  std::optional<std::string> env_value(const std::string& name) const {
    if (auto v = explicit_var(name)) return v;
    if (ctx.env) return ctx.env(name);
    return std::nullopt;
  }

  Error not_set(const std::string& written, const std::string& name) const {
    return Error(Errc::usage, std::string(subject) + " uses " + written + ", which is not set: pass --var " + name +
                                  "=… or set it in the environment");
  }

  Error not_known(const std::string& written, const std::string& name) const {
    return Error(Errc::usage, std::string(subject) + " uses " + written +
                                  ", which mcpleak cannot work out here: pass --var " + name + "=…");
  }

  std::optional<std::string> editor_value(const std::string& name) const {
    if (auto v = explicit_var(name)) return v;
    if (name == "pathSeparator" || name == "/") return std::string("/");
    if (name == "workspaceFolder") return ctx.workspace_folder;
    if (name == "workspaceFolderBasename") {
      auto folder = editor_value("workspaceFolder");
      if (!folder) return std::nullopt;
      return basename_of(*folder);
    }
    if (name == "userHome") return ctx.user_home ? ctx.user_home : env_value("HOME");
    return std::nullopt;
  }

  static bool is_editor_name(std::string_view body) {
    return body == "workspaceFolder" || body == "workspaceFolderBasename" || body == "userHome" ||
           body == "pathSeparator" || body == "/";
  }

  // One "${body}": appends its expansion, or the text as written when `syntax` does not
  // cover it.
  Result<void> expand_one(const std::string& body) {
    const std::string written = "${" + body + "}";
    if (syntax.env && body.starts_with("env:") && body.size() > 4) {
      const std::string name = body.substr(4);
      auto v = env_value(name);
      if (!v) return not_set(written, name);
      out.substituted.push_back(*v);
      out.text += *v;
      return {};
    }
    if (syntax.input && body.starts_with("input:") && body.size() > 6) {
      const std::string id = body.substr(6);
      const auto spec = std::find_if(inputs.begin(), inputs.end(), [&](const InputSpec& in) { return in.id == id; });
      auto v = explicit_var(id);
      if (!v) {
        std::string what = std::string(subject) + " uses " + written;
        if (spec == inputs.end()) {
          what += ", which is not declared in \"inputs\"";
        } else if (!spec->description.empty()) {
          what += " (\"" + spec->description + "\")";
        }
        return Error(Errc::usage, what + ", which mcpleak cannot prompt for: pass --var " + id + "=…");
      }
      out.substituted.push_back(*v);
      if (spec != inputs.end() && spec->password) out.secrets.push_back(*v);
      out.text += *v;
      return {};
    }
    if (syntax.editor && is_editor_name(body)) {
      auto v = editor_value(body);
      if (!v) return not_known(written, body);
      out.text += *v;
      return {};
    }
    if (syntax.shell) {
      const auto dflt = body.find(":-");
      const std::string name = body.substr(0, dflt);
      if (is_shell_name(name)) {
        auto v = env_value(name);
        if (dflt != std::string::npos && (!v || v->empty())) {
          out.text += body.substr(dflt + 2);
          return {};
        }
        if (!v) return not_set(written, name);
        out.substituted.push_back(*v);
        out.text += *v;
        return {};
      }
    }
    out.text += written;
    return {};
  }
};

}  // namespace

Result<Expanded> expand_vars(std::string_view text, const VarSyntax& syntax, const VarContext& ctx,
                             std::string_view subject, const std::vector<InputSpec>& inputs) {
  Expander ex{syntax, ctx, subject, inputs, {}};
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto open = text.find("${", pos);
    const auto close = open == std::string_view::npos ? open : text.find('}', open + 2);
    if (close == std::string_view::npos) {  // no "${", or one never closed: the rest as written
      ex.out.text.append(text.substr(pos));
      break;
    }
    ex.out.text.append(text.substr(pos, open - pos));
    auto done = ex.expand_one(std::string(text.substr(open + 2, close - open - 2)));
    if (!done) return done.error();
    pos = close + 1;
  }
  return std::move(ex.out);
}

}  // namespace mcpleak
