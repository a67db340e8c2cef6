import Foundation
import TimelineCore

/// What was typed at the prompts, newest last, kept per data file between runs (as less keeps
/// `.lesshst` and fzf its `--history` file): searches, dates, and each facet picker's queries.
///
/// The explorer only changes it in `update` and asks the runtime to save it (`Effect.saveHistory`);
/// reading and writing the file is the runtime's.
public struct History: Hashable, Sendable {
  /// Which prompt a line was typed at.
  public enum Kind: Hashable, Sendable {
    case search, date, export
    case picker(Facet)

    /// The key in the saved file.
    var name: String {
      switch self {
      case .search: "search"
      case .date: "date"
      case .export: "export"
      case .picker(let f): "picker-" + f.name
      }
    }
  }

  /// The most lines kept per kind.
  public static let limit = 200

  private var lines: [String: [String]] = [:]

  public init() {}

  /// The lines typed at a prompt, oldest first.
  public func lines(_ kind: Kind) -> [String] { lines[kind.name] ?? [] }

  /// Adds a line (a blank one is not kept; one typed before moves to the end).
  public mutating func add(_ line: String, _ kind: Kind) {
    guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return }
    var list = lines[kind.name] ?? []
    list.removeAll { $0 == line }
    list.append(line)
    if list.count > Self.limit { list.removeFirst(list.count - Self.limit) }
    lines[kind.name] = list
  }

  /// The saved form: a JSON object of arrays of strings.
  public var json: Data {
    (try? JSONSerialization.data(withJSONObject: lines, options: [.sortedKeys])) ?? Data("{}".utf8)
  }

  /// Reads the saved form; anything it cannot read (a corrupt or foreign file) gives nothing rather
  /// than an error: losing a history must never stop the explorer.
  public init(json data: Data) {
    guard let object = try? JSONSerialization.jsonObject(with: data), let dict = object as? [String: Any] else { return }
    for (key, value) in dict {
      guard let list = value as? [Any] else { continue }
      let strings = list.compactMap { $0 as? String }.filter { !$0.isEmpty && $0.count <= 4096 }
      if !strings.isEmpty { lines[key] = Array(strings.suffix(Self.limit)) }
    }
  }
}

/// Walking a prompt's history with Up and Down: where in it the line is, and what was being typed
/// before the walk began (Down past the newest line gives it back).
public struct Recall: Hashable, Sendable {
  /// Index into the history's lines, or nil when showing the line being typed.
  public var index: Int?
  public var draft = ""

  public init() {}

  /// Steps back (older) or forward; changes the editor's text. Returns false at either end.
  public mutating func step(back: Bool, through lines: [String], editor: inout LineEditor) -> Bool {
    if back {
      let next = (index ?? lines.count) - 1
      guard next >= 0 else { return false }
      if index == nil { draft = editor.text }
      index = next
      editor.set(lines[next])
    } else {
      guard let i = index else { return false }
      if i + 1 < lines.count {
        index = i + 1
        editor.set(lines[i + 1])
      } else {
        index = nil
        editor.set(draft)
      }
    }
    return true
  }
}
