import Foundation
import Testing
import TimelineCore
@testable import TimelineUI

/// The command table: keys, help, the `?` overlay and the README's key table all come from it.
@Suite("keymap")
struct KeymapTests {
  @Test(arguments: Command.allCases)
  func everyCommandHasAKeyAndHelp(_ command: Command) {
    #expect(!command.keys.isEmpty)
    #expect(!command.help.trimmingCharacters(in: .whitespaces).isEmpty)
    #expect(!command.keyLabel.isEmpty)
    for key in command.keys { #expect(Command.forKey(key, in: command.scope) == command, "\(key)") }
  }

  @Test(arguments: Scope.allCases)
  func noKeyIsBoundToTwoCommandsInAScope(_ scope: Scope) {
    var owner: [Key: Command] = [:]
    for command in Command.allCases where command.scope == scope {
      for key in command.keys {
        if let other = owner[key] {
          Issue.record("\(key) is bound to both \(other) and \(command) in the \(scope)")
        }
        owner[key] = command
      }
    }
  }

  @Test func keysThatTypeTextAreNotCommandsInPromptsAndPickers() {
    // A picker's query is typed: no printable key may be taken there (B3: a space is a space).
    for command in Command.allCases where command.scope == .picker || command.scope == .prompt {
      for case .char(let c) in command.keys { Issue.record("\(command) takes the character \(c)") }
    }
    #expect(Command.forKey(.char(" "), in: .picker) == nil)
    #expect(Command.forKey(.char("z"), in: .list) == nil)
  }

  @Test func everyScopeAndGroupHasCommands() {
    for group in Command.Group.allCases { #expect(Command.allCases.contains { $0.group == group }, "\(group)") }
    for scope in Scope.allCases { #expect(Command.allCases.contains { $0.scope == scope }, "\(scope)") }
    for facet in Facet.allCases { #expect(Command.picker(facet).facet == facet) }
  }

  /// The text of every page of the help overlay, scrolling with j to the end.
  func helpPages(_ size: Size) -> [String] {
    var s = AppState(timeline: Fixtures.bundled, size: size)
    press(&s, "?")
    var pages = [view(s).text]
    while true {
      let before = s.overlay
      press(&s, "j")
      if s.overlay == before { break }
      pages.append(view(s).text)
    }
    return pages
  }

  @Test(arguments: [Fixtures.large, Fixtures.medium, Size(width: 45, height: 20)])
  func theHelpShowsEveryCommandWithItsKeys(_ size: Size) {
    // The laid-out help: each command's keys, then its text over as many lines as it wraps to.
    let lines = HelpView.lines(size)
    for command in Command.allCases {
      // Within its group's section (the same keys do different things in other scopes).
      guard let heading = lines.firstIndex(where: { $0.heading && command.group.rawValue.hasPrefix($0.keys) }),
        let at = lines[heading...].firstIndex(where: { $0.keys == command.keyLabel && !$0.heading })
      else {
        Issue.record("\(command): no line with its keys \"\(command.keyLabel)\" at \(size)")
        continue
      }
      var text = lines[at].text
      var next = at + 1
      while next < lines.count && lines[next].keys.isEmpty && !lines[next].text.isEmpty {
        text += (text.isEmpty ? "" : " ") + lines[next].text
        next += 1
      }
      #expect(text == command.help, "\(command) at \(size)")
    }
    // And every laid-out line is drawn on some page, whole.
    let screens = helpPages(size).joined(separator: "\n")
    for line in lines {
      for part in [line.keys, line.text] where !part.isEmpty { #expect(screens.contains(part), "\(line) at \(size)") }
    }
    for group in Command.Group.allCases {
      #expect(screens.contains("│ " + group.rawValue) || size.width < 60, "\(group.rawValue)")
    }
  }

  @Test(arguments: [Fixtures.large, Fixtures.medium, Size(width: 45, height: 20)])
  func theHelpShowsEveryKeyWholeAtAnyWidth(_ size: Size) {
    // At 45 columns the key labels that do not fit their column get a line of their own, and long
    // texts wrap: nothing is cut (the review's rough edge 18).
    let text = helpPages(size).joined(separator: "\n")
    // Inside the box (the list may show under it).
    let insides = text.split(separator: "\n").compactMap { line -> Substring? in
      let bars = line.indices.filter { line[$0] == "│" }
      return bars.count >= 2 ? line[bars[0]..<bars[1]] : nil
    }
    #expect(!insides.contains { $0.contains("…") }, "\(text)")
    let words = Set(text.split(whereSeparator: { $0 == " " || $0 == "│" || $0 == "\n" }).map(String.init))
    for command in Command.allCases {
      for key in command.keys { #expect(words.contains(key.description), "\(command): \(key) at \(size)") }
    }
  }

  @Test func theMarkdownTableListsEveryCommand() {
    let table = Command.markdownTable
    #expect(table.hasPrefix("| keys | action |\n| --- | --- |\n"))
    for command in Command.allCases {
      let keys = command.keys.map { "`\($0)`" }.joined(separator: " ")
      #expect(table.contains("| \(keys) | \(command.help) |"), "\(command)")
    }
    for group in Command.Group.allCases { #expect(table.contains("| **\(group.rawValue)** | |")) }
  }

  // MARK: - README

  static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let readme = try? String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
  static let startMarker = "<!-- keys:start -->"
  static let endMarker = "<!-- keys:end -->"

  @Test(
    .enabled(
      if: readme?.contains(startMarker) == true,
      "README.md at the package root has no \(startMarker) … \(endMarker) key table yet"))
  func theReadmeKeyTableMatchesTheCommandTable() throws {
    let readme = try #require(Self.readme)
    let start = try #require(readme.range(of: Self.startMarker))
    let end = try #require(
      readme.range(of: Self.endMarker, range: start.upperBound..<readme.endIndex), "README.md has \(Self.startMarker) but no \(Self.endMarker)")
    let table = readme[start.upperBound..<end.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(
      table == Command.markdownTable.trimmingCharacters(in: .whitespacesAndNewlines),
      "the README's key table differs from Command.markdownTable: paste the table between the markers again")
  }
}
