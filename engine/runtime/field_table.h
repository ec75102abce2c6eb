// Field tables: the named, typed members of an options struct, so that one table drives
// reading, writing, overriding, comparing and fingerprinting the struct. A family's
// parameters (criteria::CriterionFamily::parameters), a strategy's (selection::
// strategy_parameters) and each section of a study's salient.toml (round::study_config_keys)
// are such tables; field_text.h turns a field's value into text and JSON and back.
//
// A field reaches its value through a function of the root struct, so tables of a nested
// struct are lifted into the struct that holds it (lift) without copying their entries.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace salient::runtime {

/// A value of type T inside a Root, and what its type does not say about it (a range).
template <typename Root, typename T>
struct Ref {
  std::function<T&(Root&)> get;
  std::function<void(const T&)> check;  ///< throws salient::Error; empty: any value of T
};

/// An enumeration, read and written by its names.
template <typename Root>
struct ChoiceRef {
  std::vector<std::string> names;                                 ///< every value's name
  std::function<std::string(Root&)> get;                          ///< the value's name
  std::function<void(Root&, const std::string& name)> set;        ///< name is one of names
};

template <typename Root>
using FieldRef = std::variant<Ref<Root, std::string>, Ref<Root, bool>, Ref<Root, int>, Ref<Root, std::int64_t>,
                              Ref<Root, std::uint32_t>, Ref<Root, std::uint64_t>, Ref<Root, double>,
                              Ref<Root, std::vector<std::string>>, Ref<Root, std::vector<int>>, ChoiceRef<Root>>;

template <typename Root>
struct Field {
  std::string name;  ///< its key: "samples", or "scoring.mc_dropout.samples" once lifted
  FieldRef<Root> ref;
  std::string help;  ///< one line for salient.toml and --help
};

template <typename Root>
using FieldTable = std::vector<Field<Root>>;

/// The field @p name at Root::*member.
template <typename Root, typename T>
Field<Root> field(std::string name, T Root::*member, std::string help,
                  std::function<void(const T&)> check = {}) {
  return {std::move(name), Ref<Root, T>{[member](Root& root) -> T& { return root.*member; }, std::move(check)},
          std::move(help)};
}

/// The field @p name reached through @p get (a member of a member).
template <typename T, typename Root>
Field<Root> nested_field(std::string name, std::function<T&(Root&)> get, std::string help,
                         std::function<void(const T&)> check = {}) {
  return {std::move(name), Ref<Root, T>{std::move(get), std::move(check)}, std::move(help)};
}

/// The enumeration at Root::*member, named by @p names.
template <typename Root, typename E>
Field<Root> choice_field(std::string name, E Root::*member, std::vector<std::pair<std::string, E>> names,
                         std::string help) {
  ChoiceRef<Root> ref;
  for (const auto& entry : names) ref.names.push_back(entry.first);
  ref.get = [member, names](Root& root) {
    for (const auto& [text, value] : names)
      if (root.*member == value) return text;
    return std::string("?");
  };
  ref.set = [member, names](Root& root, const std::string& text) {
    for (const auto& [known, value] : names)
      if (known == text) root.*member = value;
  };
  return {std::move(name), std::move(ref), std::move(help)};
}

/// @p fields of the Inner that @p part reaches inside an Outer, their names prefixed by @p prefix.
template <typename Outer, typename Inner>
FieldTable<Outer> lift(const FieldTable<Inner>& fields, std::function<Inner&(Outer&)> part,
                       const std::string& prefix) {
  FieldTable<Outer> lifted;
  for (const auto& inner : fields) {
    auto ref = std::visit(
        [&](const auto& r) -> FieldRef<Outer> {
          using R = std::decay_t<decltype(r)>;
          if constexpr (std::is_same_v<R, ChoiceRef<Inner>>) {
            return ChoiceRef<Outer>{r.names, [get = r.get, part](Outer& o) { return get(part(o)); },
                                    [set = r.set, part](Outer& o, const std::string& text) { set(part(o), text); }};
          } else {
            using T = std::remove_reference_t<decltype(r.get(std::declval<Inner&>()))>;
            return Ref<Outer, T>{[get = r.get, part](Outer& o) -> T& { return get(part(o)); }, r.check};
          }
        },
        inner.ref);
    lifted.push_back({prefix + inner.name, std::move(ref), inner.help});
  }
  return lifted;
}

/// The field named @p name, or nullptr.
template <typename Root>
const Field<Root>* find_field(const FieldTable<Root>& fields, const std::string& name) {
  for (const auto& field : fields)
    if (field.name == name) return &field;
  return nullptr;
}

}  // namespace salient::runtime
