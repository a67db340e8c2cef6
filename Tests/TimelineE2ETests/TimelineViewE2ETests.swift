import Foundation
import Testing

/// The timeline view in the real binary in a tmux pane: switching to it and back, going to a date,
/// zooming in to days.
@Suite("Timeline view in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct TimelineViewE2ETests {
  let data: BundledCase

  init() throws { data = try BundledCase.load() }

  /// The lane row marked as current (▸ at the left of the labels).
  func currentLane(_ screen: String) -> String? { selectedRow(screen) }

  @Test("T switches to the timeline and back, on the same event; z zooms in to days around it")
  func switchAndZoom() async throws {
    let session = try TmuxSession.runTimeline()
    let s = session
    try await s.waitUntil("the first screen is drawn", timeout: .seconds(10)) { $0.contains("\(data.count) events") && $0.contains("q quit") }

    try s.sendKeys("T")
    // Waiting for the last lane too: on a loaded machine a capture can catch the frame half drawn.
    var screen = try await s.waitUntil("the timeline by country, down to the lane of events without a country") {
      $0.contains("Country") && $0.contains("US United") && $0.contains("no country")
    }
    #expect(currentLane(screen)?.hasPrefix("▸US United") == true, "\(framed(screen))")

    // To Bridi's arrest, in the Cyprus lane.
    try s.sendKeys(":")
    try s.sendLiteral("2020-08-23")
    try s.sendKeys("Enter")
    screen = try await s.waitUntil("the Cyprus lane is current") { currentLane($0)?.hasPrefix("▸CY Cyprus") == true }
    #expect(screen.contains("George Bridi arrested in Paphos"), "the detail shows it\n\(framed(screen))")

    // Zoom in until the axis counts days, the arrest still selected.
    for _ in 0..<12 { try s.sendKeys("z") }
    screen = try await s.waitUntil("the axis is in days") { $0.contains("\ndays ") && $0.contains("Aug 2020") }
    #expect(screen.contains("Sun 23"), "23 August 2020 was a Sunday\n\(framed(screen))")
    #expect(currentLane(screen)?.hasPrefix("▸CY Cyprus") == true, "\(framed(screen))")

    // Back to the list, on the same event.
    try s.sendKeys("T")
    screen = try await s.waitUntil("the list again") { selectedRow($0).map { rowShows($0, "George Bridi arrested in Paphos, Cyprus") } ?? false }
    #expect(!screen.contains("no country"), "\(framed(screen))")

    try s.sendKeys("q")
    try await s.waitFor("EXIT=0")
  }

  @Test(": in the timeline: a range filters and fills the width with its days; a date comes to the middle")
  func colonInTheTimeline() async throws {
    let s = try TmuxSession.runTimeline()
    try await s.waitUntil("the first screen is drawn", timeout: .seconds(10)) { $0.contains("\(data.count) events") && $0.contains("q quit") }
    try s.sendKeys("T")
    try await s.waitUntil("the timeline by country") { $0.contains("Country") && $0.contains("no country") }
    try s.sendKeys(":")
    try await s.waitFor("or filter a range")
    try s.sendLiteral("2020-08-23..2020-08-27")
    try s.sendKeys("Enter")
    var screen = try await s.waitFor("Filters: dates from 2020-08-23 to 2020-08-27")
    // Five days across the width, although events running from 2011 to 2021 meet the range.
    #expect(screen.contains("\ndays ") && screen.contains("Sun 23") && screen.contains("Thu 27"), "\(framed(screen))")
    try s.sendKeys(":")
    try s.sendLiteral("..")
    try s.sendKeys("Enter")
    screen = try await s.waitFor("date range cleared")
    #expect(screen.contains("\(data.count) events") && screen.contains("\n5 years "), "the whole span again\n\(framed(screen))")
    // Zoomed in to months, a date comes to the middle at that zoom, on the event the list would select.
    for _ in 0..<7 { try s.sendKeys("z") }
    try await s.waitUntil("the axis is in months") { $0.contains("\nmonths ") }
    try s.sendKeys(":")
    try s.sendLiteral("2016-09")
    try s.sendKeys("Enter")
    screen = try await s.waitFor("2016-09 in the middle")
    #expect(screen.contains("\nmonths ") && screen.contains("Investigation into the Sparks Group begins"), "\(framed(screen))")
    try s.sendKeys("q")
    try await s.waitFor("EXIT=0")
  }

  @Test("the wheel pans the timeline; with Ctrl it zooms (an SGR mouse terminal: xterm-256color)")
  func wheel() async throws {
    let s = try TmuxSession.runTimeline(environment: ["TERM": "xterm-256color"])
    try await s.waitUntil("the first screen is drawn", timeout: .seconds(10)) { $0.contains("\(data.count) events") && $0.contains("q quit") }
    try s.sendKeys("T")
    let before = try await s.waitUntil("the timeline") { $0.contains("US United") }
    let axis = { (screen: String) in screen.split(separator: "\n", omittingEmptySubsequences: false)[5] }
    // SGR reports, as xterm sends them: 65 is the wheel down, 64 + 16 with Ctrl held, at column 40, row 20.
    try s.sendLiteral("\u{1B}[<65;40;20M")
    let panned = try await s.waitUntil("the axis moves") { axis($0) != axis(before) }
    #expect(!panned.contains("zoom:"), "a plain wheel pans\n\(framed(panned))")
    try s.sendLiteral("\u{1B}[<81;40;20M")
    let zoomed = try await s.waitFor("zoom: ")
    #expect(axis(zoomed) != axis(panned), "\(framed(zoomed))")
    try s.sendKeys("q")
    try await s.waitFor("EXIT=0")
  }
}
