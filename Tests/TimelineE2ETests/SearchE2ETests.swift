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
    screen = try await s.waitFor("filter \"bridi\": match 1 of")
    let matched = screen.split(separator: "\n").first!.split(separator: " ").reversed().dropFirst(3).first.flatMap { Int($0) }
    #expect(matched != nil && matched! < data.count, "\(framed(screen))")
    // Every listed row is a match, marked *.
    let rows = screen.split(separator: "\n").filter { $0.range(of: #"^[▸ ][* ]\d{4}"#, options: .regularExpression) != nil }
    #expect(!rows.isEmpty && rows.allSatisfy { $0.dropFirst().hasPrefix("*") }, "\(framed(screen))")
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
