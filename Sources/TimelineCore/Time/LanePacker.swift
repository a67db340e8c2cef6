/// Puts spans (column ranges) on as few lanes as a given number allows, each on the first lane where
/// it meets nothing already there: how the time strip lays out overlapping eras, and what any view of
/// spans across time can reuse.
public enum LanePacker {
  /// The lane of each span, in the order given (nil: no lane has room for it), keeping `gap` free
  /// columns between spans on a lane.
  public static func pack(_ spans: [ClosedRange<Int>], lanes: Int, gap: Int = 1) -> [Int?] {
    var ends = [Int](repeating: Int.min, count: max(0, lanes))
    return spans.map { span in
      guard let lane = ends.firstIndex(where: { $0 == Int.min || $0 + gap < span.lowerBound }) else { return nil }
      ends[lane] = span.upperBound
      return lane
    }
  }
}
