package diag

// Code is a short, stable identifier of a kind of diagnostic, for tools and
// tests to match on instead of message text. Codes never change meaning and
// are never reused; the message text may be reworded (it follows
// wit-parser's, which the upstream conformance tests compare). The default
// rendering does not show codes; Renderer.Codes does, as error[code].
type Code string

// The codes of the WIT front end (lexer, parser, resolver, loader), and what
// each means. internal tests check that each is unique and reported by some
// site.
const (
	// Reading input (loader).
	ReadFailed    Code = "read-failed"    // a file or directory cannot be read, is missing, too large or holds no .wit files
	InvalidBinary Code = "invalid-binary" // a WebAssembly file that is no component or WIT package, fails to decode, or stands where WIT text belongs
	Unsupported   Code = "unsupported"    // the input uses something witc does not implement yet

	// Lexing and parsing (parser).
	InvalidCharacter    Code = "invalid-character"    // a byte or character that cannot start any token
	UnterminatedComment Code = "unterminated-comment" // a block comment without its closing */
	UnterminatedString  Code = "unterminated-string"  // a string literal without its closing quote
	InvalidIdentifier   Code = "invalid-identifier"   // an identifier that breaks the kebab-case rules
	Syntax              Code = "syntax"               // a token where the grammar allows another
	TooDeep             Code = "too-deep"             // types or packages nested beyond wit-parser's limit of 100
	InvalidListSize     Code = "invalid-list-size"    // a fixed-length list size that is zero or too large
	NestedPackage       Code = "nested-package"       // a package block inside another package block
	UnknownAttribute    Code = "unknown-attribute"    // an @attribute that WIT does not define
	InvalidAttribute    Code = "invalid-attribute"    // a known @attribute with malformed arguments
	MisplacedAttribute  Code = "misplaced-attribute"  // attributes where none are allowed (package, top-level use)

	// Resolving (resolver).
	InvalidVersion     Code = "invalid-version"     // a version that is not valid semver
	MissingPackage     Code = "missing-package"     // a file set without a `package` header
	PackageMismatch    Code = "package-mismatch"    // files of one package directory declare different packages
	DuplicatePackage   Code = "duplicate-package"   // one package defined twice, or documented in two files
	UnknownPackage     Code = "unknown-package"     // a reference to a package that is not loaded
	PackageCycle       Code = "package-cycle"       // packages that depend on each other
	Cycle              Code = "cycle"               // interfaces, worlds or types that depend on themselves
	UndefinedName      Code = "undefined-name"      // a name that is not defined where it is looked up
	DuplicateName      Code = "duplicate-name"      // a name defined twice in one scope (items, types, functions, params, constructors)
	WrongKind          Code = "wrong-kind"          // a name of the wrong kind: a world as an interface, a function as a type
	NotAResource       Code = "not-a-resource"      // own<T> or borrow<T> of a T that is not a resource
	EmptyType          Code = "empty-type"          // a variant or enum without cases
	InvalidMapKey      Code = "invalid-map-key"     // a map key type that is not a scalar or string
	InvalidConstructor Code = "invalid-constructor" // a constructor result that is not result<the resource, E>
	BorrowInResult     Code = "borrow-in-result"    // a function result that contains borrow<T>
	DuplicateExtern    Code = "duplicate-extern"    // a world imports or exports one name or interface twice
	IncludeRename      Code = "include-rename"      // include … with { a as b } names an item the world lacks
	IncludeShadow      Code = "include-shadow"      // an included item clashes with one the world already has
	IncompatibleDeps   Code = "incompatible-deps"   // an exported interface depends on an interface both imported and exported
	AttributeConflict  Code = "attribute-conflict"  // gate attributes that repeat or contradict each other
	InvalidGate        Code = "invalid-gate"        // @since in an unversioned package, or of a version after the package's
	GatedReference     Code = "gated-reference"     // an item that is kept refers to one a disabled feature gate removed
	StabilityMismatch  Code = "stability-mismatch"  // an interface included twice with different gates
	TooLarge           Code = "too-large"           // includes that copy more than 100 000 items into worlds (witc's own limit)
)
