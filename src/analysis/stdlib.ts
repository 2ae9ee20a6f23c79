/**
 * What standard-library calls return, for the types memlint reasons about: the results of
 * package functions (`net/http.Get`) and of methods of standard types (`net/http.Client.Do`).
 * Each result is `path.Name`, with a leading `*` for a pointer; `-` for a result no rule asks
 * about. There is no type checker, so this table is how `resp, err := client.Do(req)` gets its type.
 */
const HTTP = "net/http";
const SQL = "database/sql";

const RESPONSE = `*${HTTP}.Response`;
const ROWS = `*${SQL}.Rows`;
const STMT = `*${SQL}.Stmt`;
const FILE = "*os.File";

/** Results by `path.Func` or `path.Type.Method`. */
const RESULTS: Readonly<Record<string, readonly string[]>> = {
  [`${HTTP}.Get`]: [RESPONSE, "error"],
  [`${HTTP}.Head`]: [RESPONSE, "error"],
  [`${HTTP}.Post`]: [RESPONSE, "error"],
  [`${HTTP}.PostForm`]: [RESPONSE, "error"],
  [`${HTTP}.NewRequest`]: [`*${HTTP}.Request`, "error"],
  // A conversion: `http.Dir(root)` is an `http.Dir`.
  [`${HTTP}.Dir`]: [`${HTTP}.Dir`],
  [`${HTTP}.NewRequestWithContext`]: [`*${HTTP}.Request`, "error"],
  [`${HTTP}.Client.Do`]: [RESPONSE, "error"],
  [`${HTTP}.Client.Get`]: [RESPONSE, "error"],
  [`${HTTP}.Client.Head`]: [RESPONSE, "error"],
  [`${HTTP}.Client.Post`]: [RESPONSE, "error"],
  [`${HTTP}.Client.PostForm`]: [RESPONSE, "error"],
  [`${HTTP}.Transport.RoundTrip`]: [RESPONSE, "error"],
  [`${HTTP}.RoundTripper.RoundTrip`]: [RESPONSE, "error"],
  [`${SQL}.Open`]: [`*${SQL}.DB`, "error"],
  [`${SQL}.OpenDB`]: [`*${SQL}.DB`],
  ...methods(SQL, ["DB", "Tx", "Conn"], {
    Query: [ROWS, "error"],
    QueryContext: [ROWS, "error"],
    Prepare: [STMT, "error"],
    PrepareContext: [STMT, "error"],
  }),
  ...methods(SQL, ["Stmt"], { Query: [ROWS, "error"], QueryContext: [ROWS, "error"] }),
  ...methods(SQL, ["DB"], { Begin: [`*${SQL}.Tx`, "error"], BeginTx: [`*${SQL}.Tx`, "error"], Conn: [`*${SQL}.Conn`, "error"] }),
  "os.Open": [FILE, "error"],
  "os.OpenFile": [FILE, "error"],
  "os.Create": [FILE, "error"],
  "os.CreateTemp": [FILE, "error"],
  "os.NewFile": [FILE],
  "io/ioutil.TempFile": [FILE, "error"],
  "os.Pipe": [FILE, FILE, "error"],
  ...methods("os", ["Root"], { Open: [FILE, "error"], Create: [FILE, "error"], OpenFile: [FILE, "error"] }),
  "debug/elf.Open": ["*debug/elf.File", "error"],
  "debug/macho.Open": ["*debug/macho.File", "error"],
  "debug/pe.Open": ["*debug/pe.File", "error"],
  "mime/multipart.FileHeader.Open": ["mime/multipart.File", "error"],
  [`${HTTP}.Request.FormFile`]: ["mime/multipart.File", "*mime/multipart.FileHeader", "error"],
  ...methods(HTTP, ["Dir", "FileSystem"], { Open: [`${HTTP}.File`, "error"] }),
  "io/fs.FS.Open": ["io/fs.File", "error"],
  // Connections and listeners: each holds a socket until Close.
  "net.Dial": ["net.Conn", "error"],
  "net.DialTimeout": ["net.Conn", "error"],
  "net.DialTCP": ["*net.TCPConn", "error"],
  "net.DialUDP": ["*net.UDPConn", "error"],
  "net.DialUnix": ["*net.UnixConn", "error"],
  "net.DialIP": ["*net.IPConn", "error"],
  "net.Listen": ["net.Listener", "error"],
  "net.ListenPacket": ["net.PacketConn", "error"],
  "net.ListenTCP": ["*net.TCPListener", "error"],
  "net.ListenUDP": ["*net.UDPConn", "error"],
  "net.ListenUnix": ["*net.UnixListener", "error"],
  "net.ListenUnixgram": ["*net.UnixConn", "error"],
  "net.ListenMulticastUDP": ["*net.UDPConn", "error"],
  ...methods("net", ["Dialer"], { Dial: ["net.Conn", "error"], DialContext: ["net.Conn", "error"] }),
  ...methods("net", ["ListenConfig"], { Listen: ["net.Listener", "error"], ListenPacket: ["net.PacketConn", "error"] }),
  ...methods("net", ["Listener", "TCPListener", "UnixListener"], { Accept: ["net.Conn", "error"] }),
  "net.TCPListener.AcceptTCP": ["*net.TCPConn", "error"],
  "net.UnixListener.AcceptUnix": ["*net.UnixConn", "error"],
  "crypto/tls.Dial": ["*crypto/tls.Conn", "error"],
  "crypto/tls.DialWithDialer": ["*crypto/tls.Conn", "error"],
  "crypto/tls.Listen": ["net.Listener", "error"],
  "crypto/tls.Dialer.Dial": ["net.Conn", "error"],
  "crypto/tls.Dialer.DialContext": ["net.Conn", "error"],
  // gRPC's client connection (not the standard library, but as common as one).
  "google.golang.org/grpc.Dial": ["*google.golang.org/grpc.ClientConn", "error"],
  "google.golang.org/grpc.DialContext": ["*google.golang.org/grpc.ClientConn", "error"],
  "google.golang.org/grpc.NewClient": ["*google.golang.org/grpc.ClientConn", "error"],
  "time.NewTicker": ["*time.Ticker"],
  "time.NewTimer": ["*time.Timer"],
  "time.AfterFunc": ["*time.Timer"],
  "os/exec.Command": ["*os/exec.Cmd"],
  "os/exec.CommandContext": ["*os/exec.Cmd"],
  "context.WithCancel": ["context.Context", "context.CancelFunc"],
  "context.WithTimeout": ["context.Context", "context.CancelFunc"],
  "context.WithDeadline": ["context.Context", "context.CancelFunc"],
  "bufio.NewWriter": ["*bufio.Writer"],
  "bufio.NewWriterSize": ["*bufio.Writer"],
  "bytes.NewBuffer": ["*bytes.Buffer"],
  "bytes.NewBufferString": ["*bytes.Buffer"],
};

function methods(path: string, types: readonly string[], results: Record<string, readonly string[]>): Record<string, readonly string[]> {
  const out: Record<string, readonly string[]> = {};
  for (const type of types) for (const [method, r] of Object.entries(results)) out[`${path}.${type}.${method}`] = r;
  return out;
}

/** A standard type: its package path, name, and whether it is behind a pointer. */
export interface StdType {
  path: string;
  name: string;
  pointer: boolean;
}

/** The `index`-th result of a standard function or method (`net/http.Client.Do`), when the table knows it. */
export function stdResult(qualified: string, index: number): StdType | undefined {
  const spelled = RESULTS[qualified]?.[index];
  if (!spelled || spelled === "-") return undefined;
  const pointer = spelled.startsWith("*");
  const bare = pointer ? spelled.slice(1) : spelled;
  const dot = bare.lastIndexOf(".");
  return { path: bare.slice(0, dot), name: bare.slice(dot + 1), pointer };
}

let namesByResult: Map<string, Set<string>> | undefined;

/**
 * The names (last part: `Get`, `Do`) of the standard functions and methods of the table that
 * return a `path.name`, behind a pointer or not.
 */
export function stdNamesReturning(path: string, name: string): ReadonlySet<string> {
  if (!namesByResult) {
    // One pass over the table, by result type without its pointer.
    namesByResult = new Map();
    for (const [qualified, results] of Object.entries(RESULTS)) {
      for (const result of results) {
        const type = result.startsWith("*") ? result.slice(1) : result;
        let names = namesByResult.get(type);
        if (!names) namesByResult.set(type, (names = new Set()));
        names.add(qualified.slice(qualified.lastIndexOf(".") + 1));
      }
    }
  }
  return namesByResult.get(`${path}.${name}`) ?? NONE;
}

const NONE: ReadonlySet<string> = new Set();
