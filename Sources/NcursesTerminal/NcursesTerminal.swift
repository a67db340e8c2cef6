import CNCursesW
import Synchronization
import TimelineUI

#if canImport(Glibc)
  import Glibc
#endif

/// Whether curses owns the terminal; read by the signal handlers, so it must be lock-free.
private let cursesActive = Atomic<Bool>(false)

/// The only code that talks to ncurses: it sets the terminal up and always puts it back, turns input
/// into `Action`s and copies `Buffer`s to the screen, writing only the cells that changed.
///
/// Not thread-safe (ncurses is not): use it from one thread.
public final class NcursesTerminal {
  public struct Options: Sendable {
    public var colors: Bool
    public var mouse: Bool
    public init(colors: Bool, mouse: Bool) {
      self.colors = colors
      self.mouse = mouse
    }
  }

  private var screen: OpaquePointer?
  private var inputFD: Int32 = STDIN_FILENO
  private var previous: Buffer?
  private var forceFull = false
  private let colors: Bool
  private let sixteenColors: Bool
  private var pairs: [Int16: Int16] = [:]

  /// Takes over the terminal. Keys are read from standard input when it is a terminal, otherwise from
  /// `/dev/tty` (as `less` and `fzf` do), so `cmd | timeline --data /dev/stdin` style use still gets keys.
  public init(options: Options) throws(TerminalError) {
    // Without a UTF-8 LC_CTYPE, ncursesw prints accents as garbage.
    setlocale(LC_ALL, "")
    if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
    Self.installSignalHandlers()

    let inputFD: Int32
    if isatty(STDIN_FILENO) != 0 {
      inputFD = STDIN_FILENO
    } else {
      inputFD = open("/dev/tty", O_RDWR | O_CLOEXEC)
      if inputFD < 0 { throw TerminalError(message: "standard input is not a terminal and /dev/tty cannot be opened") }
    }
    guard isatty(STDOUT_FILENO) != 0 else { throw TerminalError(message: "standard output is not a terminal") }
    self.inputFD = inputFD
    guard let input = cn_fdopen(inputFD, "r"), let output = cn_fdopen(STDOUT_FILENO, "w") else {
      throw TerminalError(message: "cannot open the terminal")
    }
    guard let s = newterm(nil, output, input) else {
      throw TerminalError(message: "cannot start the terminal interface (is TERM set to a known terminal?)")
    }
    screen = s
    set_term(s)
    cursesActive.store(true, ordering: .sequentiallyConsistent)
    atexit { NcursesTerminal.restore() }

    cbreak()
    noecho()
    nonl()
    intrflush(cn_stdscr(), false)
    keypad(cn_stdscr(), true)
    // Esc must act at once; ncurses' default waits a whole second for an escape sequence.
    if getenv("ESCDELAY") == nil { set_escdelay(25) }
    if options.mouse {
      var old: mmask_t = 0
      mousemask(cn_mouse_mask(), &old)
      mouseinterval(0)
    }
    var useColors = false
    if options.colors && has_colors() {
      start_color()
      use_default_colors()
      useColors = true
    }
    colors = useColors
    sixteenColors = useColors && cn_colors() >= 16
  }

  /// Puts the terminal back (normal screen, echo, canonical mode). Safe to call more than once.
  public static func restore() {
    if cursesActive.exchange(false, ordering: .sequentiallyConsistent) {
      endwin()
    }
  }

  public func shutdown() {
    Self.restore()
    if let s = screen {
      delscreen(s)
      screen = nil
    }
  }

  deinit { shutdown() }

  /// Restores the terminal before the process dies of a signal, then dies of it, so the exit status
  /// stays the conventional one (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP) and a crash does not
  /// leave the terminal in raw mode on the alternate screen.
  private static func installSignalHandlers() {
    _ = cursesActive.load(ordering: .relaxed)
    for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE] {
      signal(sig) { s in
        if cursesActive.exchange(false, ordering: .sequentiallyConsistent) { endwin() }
        signal(s, SIG_DFL)
        raise(s)
      }
    }
  }

  public var size: Size { Size(width: Int(getmaxx(cn_stdscr())), height: Int(getmaxy(cn_stdscr()))) }

  /// Makes the next `draw` repaint everything (Ctrl-L).
  public func invalidate() {
    forceFull = true
  }

  /// Brings the screen up to date with `buffer`.
  public func draw(_ buffer: Buffer) {
    if forceFull {
      clearok(cn_curscr(), true)
      previous = nil
      forceFull = false
    }
    if previous?.size != buffer.size {
      previous = nil
      erase()
    }
    var wide: [wchar_t] = []
    for run in buffer.changes(since: previous) {
      var x = run.x
      for cell in run.cells {
        defer { x += 1 }
        if cell.isContinuation { continue }
        wide.removeAll(keepingCapacity: true)
        for s in cell.text.unicodeScalars { wide.append(wchar_t(bitPattern: s.value)) }
        wide.append(0)
        let (attrs, pair) = attributes(cell.style)
        _ = cn_mvadd_wchars(Int32(run.y), Int32(x), wide, attrs, pair)
      }
    }
    if let c = buffer.cursor {
      curs_set(1)
      move(Int32(c.y), Int32(c.x))
    } else {
      curs_set(0)
    }
    refresh()
    previous = buffer
  }

  private func attributes(_ style: Style) -> (attr_t, Int16) {
    var a = cn_a_normal()
    if style.bold { a |= cn_a_bold() }
    if style.dim { a |= cn_a_dim() }
    if style.underline { a |= cn_a_underline() }
    if style.reverse { a |= cn_a_reverse() }
    guard colors, let fg = style.foreground else { return (a, 0) }
    var code = Int16(fg.rawValue)
    if code >= 8 && !sixteenColors {
      // Eight-colour terminals: bright colours become bold normal ones.
      code -= 8
      a |= cn_a_bold()
    }
    if let p = pairs[code] { return (a, p) }
    let p = Int16(pairs.count + 1)
    guard Int32(p) < cn_color_pairs() else { return (a, 0) }
    init_pair(p, code, -1)
    pairs[code] = p
    return (a, p)
  }

  /// Waits up to `timeoutMilliseconds` (or forever when negative) for input and decodes it.
  public func nextAction(timeoutMilliseconds: Int32) -> Action? {
    timeout(timeoutMilliseconds)
    var ch: wint_t = 0
    let rc = get_wch(&ch)
    if rc == ERR {
      if timeoutMilliseconds < 0 && inputHungUp() { Self.terminalHungUp() }
      return nil
    }
    if rc == KEY_CODE_YES { return keyCodeAction(Int32(ch)) }
    guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
    switch scalar.value {
    case 27: return .key(.escape)
    case 13, 10: return .key(.enter)
    case 9: return .key(.tab)
    case 127, 8: return .key(.backspace)
    case 1...26: return .key(.ctrl(Character(Unicode.Scalar(scalar.value + 96)!)))
    case 0..<32: return nil
    default: return .key(.char(Character(scalar)))
    }
  }

  /// Whether the terminal we read keys from has gone away (closed or hung up). A blocking read then
  /// fails at once, every time.
  private func inputHungUp() -> Bool {
    var p = pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)
    guard poll(&p, 1, 0) >= 0 else { return false }
    return p.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
  }

  /// The terminal went away but no SIGHUP came (the kernel sends it only to the session leader, and a
  /// shell that traps it does not pass it on): end as SIGHUP would, instead of spinning on failed reads.
  private static func terminalHungUp() -> Never {
    raise(SIGHUP)
    // SIGHUP blocked or ignored: end anyway, with the status it would have given.
    restore()
    exit(128 + SIGHUP)
  }

  private func keyCodeAction(_ code: Int32) -> Action? {
    switch code {
    case KEY_UP: return .key(.up)
    case KEY_DOWN: return .key(.down)
    case KEY_LEFT: return .key(.left)
    case KEY_RIGHT: return .key(.right)
    case KEY_HOME: return .key(.home)
    case KEY_END: return .key(.end)
    case KEY_NPAGE: return .key(.pageDown)
    case KEY_PPAGE: return .key(.pageUp)
    case KEY_ENTER: return .key(.enter)
    case KEY_BACKSPACE: return .key(.backspace)
    case KEY_DC: return .key(.delete)
    case KEY_BTAB: return .key(.backTab)
    case KEY_RESIZE: return .resized(size)
    case KEY_MOUSE:
      var event = MEVENT()
      guard getmouse(&event) == OK else { return nil }
      let x = Int(event.x)
      let y = Int(event.y)
      if event.bstate & cn_button4_pressed() != 0 { return .mouse(MouseEvent(.wheelUp, x: x, y: y)) }
      if event.bstate & cn_button5_pressed() != 0 { return .mouse(MouseEvent(.wheelDown, x: x, y: y)) }
      if event.bstate & cn_button1_pressed() != 0 { return .mouse(MouseEvent(.press, x: x, y: y)) }
      return nil
    default:
      if code >= KEY_F0 && code <= KEY_F0 + 63 { return .key(.function(Int(code - KEY_F0))) }
      return nil
    }
  }
}

public struct TerminalError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }
}
