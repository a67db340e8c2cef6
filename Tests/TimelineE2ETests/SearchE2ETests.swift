import Foundation
import Testing

/// The search as a filter (`&`), `--search` at launch, and undo, in the real binary in tmux.
@Suite("Search as a filter in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct SearchE2ETests {
  let data: BundledCase

  init() throws { data = try BundledCase.load() }

  @Test("& turns the search into a filter and back; the header says which")
  func searchAsFilter() async throws {
    let s = try TmuxSession.runTimeline()
    try await s.waitFor("q quit", timeout: .seconds(10))
    try s.sendKeys("/")
    try s.sendLiteral("bridi")
    try await s.waitFor("Enter keep")
    try s.sendKeys("Enter")
    var screen = try await s.waitFor("search \"bridi\": match 1 of")
    #expect(screen.contains("\(data.count) events"), "\(framed(screen))")
    try s.sendKeys("&")
    // Every listed row is a match, marked * (waiting for the whole frame: a busy machine's terminal
    // may show the header's new row before the list's).
    func rows(_ screen: String) -> [Substring] {
      screen.split(separator: "\n").filter { $0.range(of: #"^[▸ ][* ]\d{4}"#, options: .regularExpression) != nil }
    }
    screen = try await s.waitUntil("only the matches are listed") {
      $0.contains("filter \"bridi\": match 1 of") && !rows($0).isEmpty && rows($0).allSatisfy { $0.dropFirst().hasPrefix("*") }
    }
    let matched = screen.split(separator: "\n").first!.split(separator: " ").reversed().dropFirst(3).first.flatMap { Int($0) }
    #expect(matched != nil && matched! < data.count, "\(framed(screen))")
    try s.sendKeys("&")
    try await s.waitFor("search \"bridi\": match 1 of")
    try await s.waitFor("\(data.count) events")
  }

  @Test("--search opens as a filter, as list prints it (B7); x clears it and u brings it back")
  func searchAtLaunch() async throws {
    let s = try TmuxSession.runTimeline(["--search", "olathe"])
    var screen = try await s.waitFor("filter \"olathe\": match 1 of 1", timeout: .seconds(10))
    #expect(screen.contains("1 of \(data.count) events"), "\(framed(screen))")
    try s.sendKeys("x")
    screen = try await s.waitFor("filters cleared (and the search)")
    #expect(screen.contains("\(data.count) events"))
    try s.sendKeys("u")
    screen = try await s.waitFor("undone: filter \"olathe\"")
    #expect(screen.contains("1 of \(data.count) events"), "\(framed(screen))")
  }
}

/// Date ranges and the time strip, in the real binary in tmux (mouse events sent as the terminal sends
/// them, X10 encoded).
@Suite("Dates and the time strip in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct TimeE2ETests {
  let data: BundledCase

  init() throws { data = try BundledCase.load() }

  /// An X10 mouse report: ESC [ M, then the button, column and row, each plus 32 (1-based).
  func mouse(_ s: TmuxSession, button: Int, x: Int, y: Int) throws {
    let b = [0x1B, 0x5B, 0x4D, 32 + button, 33 + x, 33 + y].map { String(format: "%02x", $0) }
    try s.sendKeys("-H", b[0], b[1], b[2], b[3], b[4], b[5])
  }

  @Test(": takes a range; the header says it, x clears it, u brings it back")
  func colonRange() async throws {
    let s = try TmuxSession.runTimeline()
    try await s.waitFor("q quit", timeout: .seconds(10))
    try s.sendKeys(":")
    try s.sendLiteral("2020-08..2020-09")
    try s.sendKeys("Enter")
    let screen = try await s.waitFor("Filters: dates from 2020-08 to 2020-09")
    let n = Int(screen.split(separator: "\n")[0].split(separator: " ").reversed().dropFirst(3).first ?? "") ?? 0
    #expect(n > 0 && n < data.count, "\(framed(screen))")
    try s.sendKeys("x")
    try await s.waitFor("No filters")
    try s.sendKeys("u")
    try await s.waitFor("Filters: dates from 2020-08 to 2020-09")
  }

  @Test("a drag across the time strip's bars filters the dates between")
  func dragOnTheStrip() async throws {
    let s = try TmuxSession.runTimeline()
    try await s.waitFor("q quit", timeout: .seconds(10))
    // The bars are on row 2; the strip runs from column 1 to 118 at 120 columns. The press goes to that
    // time and says so (sent again if a busy machine's terminal lost it before the app read input).
    var pressed = false
    for _ in 0..<3 where !pressed {
      try mouse(s, button: 0, x: 3, y: 2)
      pressed = (try? await s.waitFor("click another bar", timeout: .seconds(3))) != nil
    }
    #expect(pressed)
    try mouse(s, button: 3, x: 40, y: 2)
    let screen = try await s.waitFor("Filters: dates from ")
    #expect(!screen.contains("\(data.count) events") || screen.contains(" of \(data.count) events"), "\(framed(screen))")
  }
}
