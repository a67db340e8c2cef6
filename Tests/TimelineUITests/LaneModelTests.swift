import Testing
import TimelineCore
@testable import TimelineUI

/// The lanes the timeline view is drawn from: their members and counts under the filters, their
/// orders, and what each column of a lane holds, against a plain recount over the events.
@Suite("timeline lanes")
struct LaneModelTests {
  let t = Fixtures.bundled

  func index(_ facet: Facet?, query: Query = Query(), timeline: Timeline = Fixtures.bundled) -> LaneIndex {
    LaneIndex(timeline: timeline, results: timeline.evaluate(query), facet: facet, spans: EventSpans(timeline))
  }

  func id(_ e: UInt32) -> String { t.id(at: Int(e)) }

  @Test func aLanePerCountryWithItsEventsAndTheRestLast() {
    let lanes = index(.country)
    let used = t.usedValues(.country)
    #expect(lanes.lanes.map(\.value) == used + [LaneIndex.noValue])
    for lane in lanes.lanes where lane.value != LaneIndex.noValue {
      #expect(Array(lane.events) == Array(t.events(.country, lane.value)), "lane \(t.key(.country, lane.value))")
    }
    let rest = lanes.lanes.last!
    #expect(rest.events.allSatisfy { t.countryCodes(at: Int($0)).isEmpty })
    #expect(rest.count == (0..<t.count).filter { t.countryCodes(at: $0).isEmpty }.count)
    // An event with several countries is in each of their lanes, and no other.
    for e in (0..<t.count).filter({ t.countryCodes(at: $0).count > 1 }).map(UInt32.init) {
      let holding = lanes.lanes.filter { $0.position(of: e) != nil }.map { t.key(.country, $0.value) }
      #expect(Set(holding) == Set(t.countryCodes(at: Int(e))), "\(id(e))")
    }
    #expect((0..<t.count).contains { t.countryCodes(at: $0).count == 2 } && (0..<t.count).contains { t.countryCodes(at: $0).count > 3 })
  }

  @Test func countsAreUnderTheFilters() {
    let q = Query(people: ["george-bridi"])
    let lanes = index(.country, query: q)
    let results = t.evaluate(q)
    for lane in lanes.lanes {
      #expect(lane.events.allSatisfy { results.contains($0) })
    }
    let cy = lanes.lane(ofValue: t.valueIndex(.country, key: "CY")!).map { lanes.lanes[$0] }
    #expect(cy?.count == results.filter { t.countryCodes(at: Int($0)).contains("CY") }.count)
    #expect(lanes.lane(ofValue: t.valueIndex(.country, key: "KR")!) == nil, "no lane for a value the results do not carry")
  }

  @Test func ordersByCountAndByFirstAppearance() {
    let lanes = index(.country)
    let byCount = lanes.ordered(.count).map { lanes.lanes[$0] }
    #expect(byCount.first.map { t.key(.country, $0.value) } == "US")
    #expect(byCount.last?.value == LaneIndex.noValue, "the lane without a country stays last")
    let counts = byCount.dropLast().map(\.count)
    #expect(counts == counts.sorted(by: >))
    let byFirst = lanes.ordered(.firstAppearance).map { lanes.lanes[$0] }
    let firsts = byFirst.dropLast().map { $0.events[0] }
    #expect(firsts == firsts.sorted())
    #expect(Set(lanes.ordered(.count)) == Set(lanes.ordered(.firstAppearance)))
  }

  @Test func oneLaneOfEverythingWithoutAFacet() {
    let lanes = index(nil)
    #expect(lanes.lanes.count == 1 && lanes.lanes[0].count == t.count && lanes.lanes[0].value == LaneIndex.noValue)
  }

  @Test func everyFacetGivesEachResultALane() {
    for facet in Facet.allCases {
      let lanes = index(facet)
      var seen = Set<UInt32>()
      for lane in lanes.lanes { seen.formUnion(lane.events) }
      #expect(seen.count == t.count, "\(facet)")
    }
  }

  /// The two ways of finding each lane's events (from the posting lists when most events are results,
  /// else from each result's values) give the same lanes, for every facet, filtered or not.
  @Test func bothWaysOfFillingLanesAgree() {
    let timeline = MonkeyData.generated
    for query in [Query(), Query(countries: ["FR", "JP"]), Query(tags: ["court"]), Query(tags: ["no such tag"])] {
      let results = timeline.evaluate(query)
      for facet in Facet.allCases {
        let a = LaneIndex.byPostings(timeline, results, facet)
        let b = LaneIndex.byEvents(timeline, results, facet)
        #expect(a.map(\.value) == b.map(\.value) && a.map(\.events) == b.map(\.events), "\(facet) under \(query)")
      }
    }
  }

  @Test func theSpanRunsFromTheFirstStartToTheLastEnd() throws {
    let span = try #require(index(.country).span)
    #expect(span.lowerBound == CivilDays.day(year: 2011, month: 1, day: 1) * 1440)
    let ends = (0..<t.count).map { TimeScale.span(start: t.date(at: $0), end: t.endDate(at: $0)).upperBound }
    #expect(span.upperBound == ends.max())
    #expect(index(.country, query: Query(tags: ["no such tag"])).span == nil)
  }

  @Test func theNearestEventInALane() {
    let lane = index(nil).lanes[0]
    let t0 = lane.lo(10)
    #expect(lane.nearest(to: t0) == 10)
    #expect(lane.nearest(to: t0, where: { $0 != 10 && lane.lo($0) != t0 }).map { lane.lo($0) != t0 } == true)
    #expect(lane.nearest(to: Int64.min / 2) == 0)
    #expect(lane.nearest(to: Int64.max / 2) == lane.count - 1)
    #expect(lane.nearest(to: t0, where: { _ in false }) == nil)
  }

  /// The spans found in two halves side by side (as from 100,000 events) are those found in one pass.
  @Test func spansFoundInTwoHalvesAreThoseFoundInOne() {
    let timeline = MonkeyData.generated
    let one = EventSpans(timeline)
    let two = EventSpans(timeline, parallelFrom: 2)
    #expect(two.lo == one.lo)
    #expect(two.hi == one.hi)
    #expect(two.kind == one.kind)
    #expect(two.cover == one.cover)
    #expect(two.furthest == one.furthest)
    #expect(one.furthest == one.hi.max())
  }

  /// Every column of every lane, at every zoom level over windows anywhere in a generated timeline of
  /// 3,000 events (imprecise and approximate dates, bars, BC years), against a recount of the events:
  /// how many start in the column, and the strongest cover shown at that unit passing through it.
  @Test func columnsAgreeWithARecount() {
    let timeline = MonkeyData.generated
    let spans = EventSpans(timeline)
    let lanes = LaneIndex(timeline: timeline, results: Array(0..<UInt32(timeline.count)), facet: .person, spans: spans)
    var rng = SplitMix64(seed: 14)
    var checked = 0
    for level in stride(from: 0, to: TimeScale.scales.count, by: 2) {
      for _ in 0..<3 {
        let lane = lanes.lanes[rng.int(lanes.lanes.count)]
        let anchor = lane.lo(rng.int(lane.count))
        let scale = TimeScale.scales[level]
        let w = TimeScale.Window(center: anchor, scale: scale, columns: 60)
        let unit = TimeScale.ticks(w).unit
        let shown = Cover.allCases.map { $0.shows(at: unit) }
        var i = lane.firstIndex(startingAtOrAfter: w.start)
        for c in 0..<w.columns {
          let a = w.time(atColumn: c)
          let (column, next) = lane.column(from: a, to: a + scale, startingAt: i, showing: shown)
          i = next
          let starting = lane.events.filter { (a..<(a + scale)).contains(spans.lo[Int($0)]) }
          #expect(column.count == starting.count, "level \(level), column \(c)")
          if let first = starting.first { #expect(lane.events[column.first] == first) }
          let passing = lane.events.filter { spans.lo[Int($0)] < a + scale && spans.hi[Int($0)] > a }.map { spans.cover[Int($0)] }
          let strongest = passing.filter { shown[Int($0.rawValue)] }.min { $0.rawValue < $1.rawValue }
          #expect(column.cover == strongest, "level \(level), column \(c): \(String(describing: column.cover)) vs \(String(describing: strongest))")
          checked += 1
        }
      }
    }
    #expect(checked > 1000)
  }

  @Test func imprecisionShowsOnceTheUnitIsFiner() {
    #expect(Cover.openDay.shows(at: .hours(1)) && !Cover.openDay.shows(at: .days))
    #expect(Cover.openMonth.shows(at: .days) && Cover.openMonth.shows(at: .weeks) && !Cover.openMonth.shows(at: .months(1)))
    #expect(Cover.openYear.shows(at: .months(3)) && !Cover.openYear.shows(at: .years(1)))
    #expect(Cover.solid.shows(at: .years(1000)) && !Cover.none.shows(at: .minutes(1)))
  }
}
