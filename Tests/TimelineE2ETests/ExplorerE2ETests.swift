import Foundation
import Testing

/// The real `timeline` binary in a tmux pane: keys in, screen out.
@Suite("Explorer in tmux", .enabled(if: Tmux.isAvailable, "tmux is not installed (CI installs it)"))
struct ExplorerE2ETests {
  let data: BundledCase

  init() throws { data = try BundledCase.load() }

  /// Starts the explorer on the bundled case and waits for its first screen (the footer is drawn last).
  private func start(environment: [String: String] = [:]) async throws -> (TmuxSession, String) {
    let session = try TmuxSession.runTimeline(environment: environment)
    let screen = try await session.waitUntil("the first screen is drawn", timeout: .seconds(10)) {
      $0.contains("\(data.count) events") && $0.contains("q quit")
    }
    return (session, screen)
  }

  @Test("starts on the bundled case, quits with q and restores the terminal")
  func startAndQuit() async throws {
    let (s, screen) = try await start()
    #expect(screen.contains(data.title), "\(framed(screen))")
    #expect(screen.contains("\(data.count) events"))
    let selected = try #require(selectedRow(screen), "no selected row\n\(framed(screen))")
    #expect(rowShows(selected, data.events[0].title), "\(selected)")
    #expect(try s.paneAlternateOn)

    try s.sendKeys("q")
    try await expectRestored(s, status: 0)
  }

  @Test("j moves down, G jumps to the last event")
  func move() async throws {
    let (s, _) = try await start()
    try s.sendKeys("j", "j", "j")
    let fourth = data.events[3].title
    try await s.waitUntil("the fourth event (\(fourth)) is selected") { selectedRow($0).map { rowShows($0, fourth) } ?? false }

    try s.sendKeys("G")
    let last = try #require(data.events.last).title
    let screen = try await s.waitUntil("the last event (\(last)) is selected") {
      selectedRow($0).map { rowShows($0, last) } ?? false
    }
    #expect(last == "Bridi sentenced to 22 months in prison")
    #expect(selectedRow(screen)?.contains(last) == true, "\(framed(screen))")
  }

  @Test("c opens the country picker; typing narrows it, Enter filters")
  func pickCountry() async throws {
    let (s, _) = try await start()
    try s.sendKeys("c")
    try await s.waitFor("Countries")
    try s.sendLiteral("chy")
    try await s.waitFor("› chy")
    try await s.waitFor("Cyprus (CY)")
    try s.sendKeys("Enter")
    let screen = try await s.waitFor("Filters: country Cyprus (CY)")
    let expected = data.count(inCountry: "CY")
    #expect(expected > 0)
    #expect(screen.contains("\(expected) of \(data.count) events"), "\(framed(screen))")
  }

  @Test("p opens the person picker; an alias finds the person, Enter filters")
  func pickPerson() async throws {
    let (s, _) = try await start()
    try s.sendKeys("p")
    try await s.waitFor("People")
    try s.sendLiteral("raid")
    try await s.waitFor("› raid")
    try s.sendKeys("Enter")
    let screen = try await s.waitFor("Filters: person Jonatan Correa")
    let expected = data.count(withPerson: "Jonatan Correa")
    #expect(expected > 0)
    #expect(screen.contains("\(expected) of \(data.count) events"), "\(framed(screen))")
  }

  @Test("/ searches as you type; Enter keeps the search, Esc drops it")
  func search() async throws {
    let (s, _) = try await start()
    let matches = data.matches("olathe")
    let first = try #require(matches.first, "no event mentions Olathe")
    #expect(first.title == "Jonatan Correa arrested in Olathe, Kansas")
    try s.sendKeys("/")
    try s.sendLiteral("olathe")
    var screen = try await s.waitFor("match 1 of \(matches.count) · Enter keep")
    #expect(selectedRow(screen).map { rowShows($0, first.title) } == true, "\(framed(screen))")

    try s.sendKeys("Enter")
    screen = try await s.waitForGone("Enter keep")
    #expect(screen.contains("search \"olathe\": match 1 of \(matches.count)"), "\(framed(screen))")
    #expect(selectedRow(screen).map { rowShows($0, first.title) } == true, "\(framed(screen))")

    try s.sendKeys("Escape")
    screen = try await s.waitFor("search dropped")
    #expect(!screen.contains("search \"olathe\""), "\(framed(screen))")
    #expect(screen.contains("No filters"), "\(framed(screen))")
  }

  @Test("? shows the keys; q closes the overlay, then quits")
  func help() async throws {
    let (s, _) = try await start()
    try s.sendKeys("?")
    let screen = try await s.waitFor("filter by country")
    #expect(screen.contains("Keys"), "\(framed(screen))")

    try s.sendKeys("q")
    try await s.waitForGone("filter by country")
    #expect(try s.paneAlternateOn, "q closed the explorer instead of the overlay")

    try s.sendKeys("q")
    try await expectRestored(s, status: 0)
  }

  @Test("a terminal too small says so, and the explorer comes back when it grows")
  func resize() async throws {
    let (s, _) = try await start()
    try s.resize(width: 30, height: 8)
    try await s.waitFor("Terminal too small")

    try s.resize(width: 120, height: 40)
    let screen = try await s.waitUntil("the explorer is back") {
      $0.contains(data.title) && $0.contains("\(data.count) events") && !$0.contains("Terminal too small")
    }
    #expect(selectedRow(screen) != nil, "\(framed(screen))")

    try s.sendKeys("q")
    try await expectRestored(s, status: 0)
  }

  @Test("NO_COLOR: no colours, but the selected row is still in reverse video")
  func noColor() async throws {
    let (plain, _) = try await start(environment: ["NO_COLOR": "1"])
    let screen = try plain.capture(escapes: true)
    let colours = sgrSequences(screen).filter(isColour)
    #expect(colours.isEmpty, "colour SGR codes under NO_COLOR: \(Set(colours).sorted())")
    let selected = try #require(
      screen.split(separator: "\n").first { $0.contains("▸") }, "no selected row\n\(framed(screen))")
    #expect(sgrSequences(String(selected)).contains { $0.split(separator: ";").contains("7") }, "\(selected.debugDescription)")

    // The check can see colours: the same screen without NO_COLOR has them.
    let (coloured, _) = try await start()
    #expect(sgrSequences(try coloured.capture(escapes: true)).contains(where: isColour))
  }
}

/// The parameters of every SGR sequence (`ESC [ params m`) in `text`.
func sgrSequences(_ text: String) -> [String] {
  var out: [String] = []
  for piece in text.components(separatedBy: "\u{1B}[").dropFirst() {
    let params = piece.prefix { "0123456789;:".contains($0) }
    if piece.dropFirst(params.count).first == "m" { out.append(String(params)) }
  }
  return out
}

/// Whether SGR parameters set a foreground or background colour (39 and 49, the defaults, do not).
func isColour(_ params: String) -> Bool {
  params.split(separator: ";").compactMap { Int($0.split(separator: ":").first ?? "") }.contains {
    (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0)
  }
}
