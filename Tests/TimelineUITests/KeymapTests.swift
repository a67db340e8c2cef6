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
    for key in command.keys { #expect(Command.forKey(key) == command, "\(key)") }
  }

  @Test func noKeyIsBoundToTwoCommands() {
    var owner: [Key: Command] = [:]
    for command in Command.allCases {
      for key in command.keys {
        if let other = owner[key] {
          Issue.record("\(key) is bound to both \(other) and \(command)")
        }
        owner[key] = command
      }
    }
    // Keys that are text in the pickers and prompts are not commands either way.
    #expect(Command.forKey(.char("z")) == nil)
  }

  @Test func everyGroupHasCommands() {
    for group in Command.Group.allCases { #expect(Command.allCases.contains { $0.group == group }, "\(group)") }
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

  @Test(arguments: [Fixtures.large, Fixtures.medium])
  func theHelpShowsEveryCommandWithItsKeys(_ size: Size) {
    let lines = helpPages(size).flatMap { $0.split(separator: "\n").map(String.init) }
    for command in Command.allCases {
      // The keys and the help on one line, whole (not cut with "…").
      let found = lines.contains { $0.contains(command.help) && $0.contains(command.keyLabel + " ") }
      #expect(found, "\(command): \"\(command.keyLabel)\" \"\(command.help)\" at \(size)")
    }
    for group in Command.Group.allCases {
      #expect(lines.contains { $0.contains("│ " + group.rawValue) }, "\(group.rawValue)")
    }
  }

  @Test(arguments: [Fixtures.large, Fixtures.medium])
  func theHelpShowsThePickerKeysWhole(_ size: Size) {
    let lines = helpPages(size).flatMap { $0.split(separator: "\n").map(String.init) }
    for (keys, help) in Command.pickerKeys {
      let found = lines.contains { $0.contains(keys) && $0.contains(help) }
      if help.count > 52 {
        // The help box is at most 76 columns, leaving 52 for the text, and the text is cut, not wrapped.
        withKnownIssue("the picker's \"type\" line is cut with … in the help overlay") {
          #expect(found, "\(keys): \(help)")
        }
      } else {
        #expect(found, "\(keys): \(help)")
      }
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
