import Foundation
import Testing

/// The pickers and the prompts' history, in the real binary in tmux.
@Suite("Pickers and history in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct PickerE2ETests {
  let data: BundledCase

  init() throws { data = try BundledCase.load() }

  private func start(environment: [String: String] = [:]) async throws -> TmuxSession {
    let session = try TmuxSession.runTimeline(environment: environment)
    try await session.waitUntil("the first screen is drawn", timeout: .seconds(10)) {
      $0.contains("\(data.count) events") && $0.contains("q quit")
    }
    return session
  }

  @Test("Tab turns on several values, a space is typed, Enter applies what the title calls on")
  func severalCountries() async throws {
    let s = try await start()
    try s.sendKeys("c")
    try await s.waitFor("Countries: none on")
    try s.sendLiteral("chy")
    try await s.waitFor("› chy")
    try s.sendKeys("Tab")
    try await s.waitFor("Countries: 1 on")
    try s.sendKeys("C-u")
    // A space is text: "south kor" finds South Korea (B3).
    try s.sendLiteral("south kor")
    try await s.waitFor("› south kor")
    try await s.waitFor("South Korea (KR)")
    try s.sendKeys("Tab")
    try await s.waitFor("Countries: 2 on")
    try s.sendKeys("Enter")
    let screen = try await s.waitFor("Filters: country Cyprus (CY) or South Korea (KR)")
    let expected = data.events.filter { $0.countries.contains("CY") || $0.countries.contains("KR") }.count
    #expect(screen.contains("\(expected) of \(data.count) events"), "\(framed(screen))")
  }

  @Test("Ctrl-X excludes a value: the header says \"not\", the count leaves it out")
  func exclusion() async throws {
    let s = try await start()
    try s.sendKeys("c")
    try await s.waitFor("Countries")
    try s.sendLiteral("united states")
    try await s.waitFor("United States (US)")
    try s.sendKeys("C-x")
    try await s.waitFor("[-] not United States (US)")
    try await s.waitFor("1 excluded")
    try s.sendKeys("Enter")
    let screen = try await s.waitFor("Filters: country not United States (US)")
    let expected = data.count - data.count(inCountry: "US")
    #expect(screen.contains("\(expected) of \(data.count) events"), "\(framed(screen))")
    // The text cursor rests where typing goes in a picker (B14): after "› ab".
    try s.sendKeys("c")
    try await s.waitFor("Countries")
    try s.sendLiteral("ab")
    let typed = try await s.waitFor("› ab")
    let row = try #require(typed.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("› ab") })
    let line = typed.split(separator: "\n", omittingEmptySubsequences: false)[row]
    let column = line.distance(from: line.startIndex, to: line.range(of: "› ab")!.upperBound)
    #expect(try s.display("#{cursor_x},#{cursor_y}") == "\(column),\(row)")
  }

  @Test("the prompts' history is kept for the data file between runs")
  func historyBetweenRuns() async throws {
    try await withTemporaryDirectory { dir in
      var s = try await start(environment: ["XDG_STATE_HOME": dir.path])
      try s.sendKeys("/")
      try s.sendLiteral("olathe")
      try await s.waitFor("Enter keep")
      try s.sendKeys("Enter")
      try await s.waitForGone("Enter keep")
      try s.sendKeys("p")
      try await s.waitFor("People")
      try s.sendLiteral("raid")
      try s.sendKeys("Enter")
      try await s.waitFor("Filters: person Jonatan Correa")
      try s.sendKeys("q")
      _ = try await s.waitForExit()
      let saved = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("timeline/history").path)
      #expect(saved == ["bundled-sparks-group.json"])

      s = try await start(environment: ["XDG_STATE_HOME": dir.path])
      try s.sendKeys("/", "Up")
      try await s.waitFor("/olathe")
      try s.sendKeys("Escape", "p", "C-p")
      try await s.waitFor("› raid")
    }
  }

  @Test("a corrupt history file is ignored, and replaced when the history grows")
  func corruptHistory() async throws {
    try await withTemporaryDirectory { dir in
      let history = dir.appendingPathComponent("timeline/history")
      try FileManager.default.createDirectory(at: history, withIntermediateDirectories: true)
      let file = history.appendingPathComponent("bundled-sparks-group.json")
      try Data([0xFF, 0x00, 0x7B, 0x22]).write(to: file)
      let s = try await start(environment: ["XDG_STATE_HOME": dir.path])
      try s.sendKeys("/", "Up")
      try await s.waitFor("no earlier entry")
      try s.sendLiteral("paphos")
      try await s.waitFor("Enter keep")
      try s.sendKeys("Enter")
      try await s.waitForGone("Enter keep")
      let text = String(decoding: try Data(contentsOf: file), as: UTF8.self)
      #expect(text == #"{"search":["paphos"]}"#)
    }
  }
}
