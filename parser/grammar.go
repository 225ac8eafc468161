package parser

import "github.com/alecthomas/participle/v2/lexer"

// The participle grammar of WIT (design/mvp/WIT.md). These structs never
// leave the package: the lowerer in parse.go turns them into package ast.

type gFile struct {
	Items []*gTopItem `parser:"@@* EOF"`
}

// gTopItem is one item at file level. `package a:b;` headers are items too
// (legalized by the lowerer, lowerer.file in parse.go) so that no lookahead
// is needed to tell them from nested `package a:b { ... }` blocks.
type gTopItem struct {
	Pos       lexer.Position
	Attrs     []*gAttr    `parser:"@@*"`
	Package   *gPackage   `parser:"( @@"`
	Use       *gTopUse    `parser:"| @@"`
	Interface *gInterface `parser:"| @@"`
	World     *gWorld     `parser:"| @@ )"`
	EndPos    lexer.Position
}

type gPackage struct {
	Pos    lexer.Position
	Name   *gPackageName `parser:"\"package\":Keyword @@"`
	Semi   *gSemi        `parser:"( @@"`
	Items  []*gTopItem   `parser:"| \"{\" @@* \"}\" )"`
	EndPos lexer.Position
}

type gPackageName struct {
	Pos       lexer.Position
	Namespace lexer.Token `parser:"@Ident \":\""`
	Name      lexer.Token `parser:"@Ident"`
	Version   *gVersion   `parser:"( \"@\" @@ )?"`
	EndPos    lexer.Position
}

type gVersion struct {
	Pos    lexer.Position
	Text   string `parser:"( @Version | @Int )"`
	EndPos lexer.Position
}

type gAttr struct {
	Pos    lexer.Position
	Name   lexer.Token `parser:"\"@\" @Ident \"(\""`
	Args   []*gAttrArg `parser:"( @@ ( \",\" @@ )*"`
	Str    *string     `parser:"| @String ) \")\""`
	EndPos lexer.Position
}

type gAttrArg struct {
	Pos     lexer.Position
	Key     lexer.Token `parser:"@Ident \"=\""`
	Version *gVersion   `parser:"( @@"`
	Feature lexer.Token `parser:"| @Ident )"`
	EndPos  lexer.Position
}

type gUsePath struct {
	Pos     lexer.Position
	First   lexer.Token `parser:"@Ident"`
	Pkg     lexer.Token `parser:"( \":\" @Ident"`
	Iface   lexer.Token `parser:"  \"/\" @Ident"`
	Version *gVersion   `parser:"  ( \"@\" @@ )? )?"`
	EndPos  lexer.Position
}

type gTopUse struct {
	Pos    lexer.Position
	Path   *gUsePath   `parser:"\"use\":Keyword @@"`
	As     lexer.Token `parser:"( \"as\":Keyword @Ident )? \";\""`
	EndPos lexer.Position
}

type gInterface struct {
	Pos    lexer.Position
	Name   lexer.Token   `parser:"\"interface\":Keyword @Ident \"{\""`
	Items  []*gIfaceItem `parser:"@@* \"}\""`
	EndPos lexer.Position
}

type gIfaceItem struct {
	Pos     lexer.Position
	Attrs   []*gAttr   `parser:"@@*"`
	Func    *gFuncDecl `parser:"( @@"`
	TypeDef *gTypeDef  `parser:"| @@"`
	Use     *gUse      `parser:"| @@ )"`
	EndPos  lexer.Position
}

type gUse struct {
	Pos    lexer.Position
	Path   *gUsePath   `parser:"\"use\":Keyword @@ \".\" \"{\""`
	Names  []*gUseName `parser:"( @@ ( \",\" @@ )* )? \"}\" \";\""`
	EndPos lexer.Position
}

type gUseName struct {
	Name lexer.Token `parser:"@Ident"`
	As   lexer.Token `parser:"( \"as\":Keyword @Ident )?"`
}

type gFuncDecl struct {
	Pos    lexer.Position
	Name   lexer.Token `parser:"@Ident \":\""`
	Func   *gFuncType  `parser:"@@ \";\""`
	EndPos lexer.Position
}

type gFuncType struct {
	Pos    lexer.Position
	Async  bool      `parser:"@\"async\":Keyword?"`
	Params []*gParam `parser:"\"func\":Keyword \"(\" ( @@ ( \",\" @@ )* )? \")\""`
	Result *gType    `parser:"( \"->\" @@ )?"`
	EndPos lexer.Position
}

type gParam struct {
	Name lexer.Token `parser:"@Ident \":\""`
	Type *gType      `parser:"@@"`
}

type gWorld struct {
	Pos    lexer.Position
	Name   lexer.Token   `parser:"\"world\":Keyword @Ident \"{\""`
	Items  []*gWorldItem `parser:"@@* \"}\""`
	EndPos lexer.Position
}

type gWorldItem struct {
	Pos     lexer.Position
	Attrs   []*gAttr  `parser:"@@*"`
	Import  *gExtern  `parser:"( \"import\":Keyword @@"`
	Export  *gExtern  `parser:"| \"export\":Keyword @@"`
	Use     *gUse     `parser:"| @@"`
	Include *gInclude `parser:"| @@"`
	TypeDef *gTypeDef `parser:"| @@ )"`
	EndPos  lexer.Position
}

// gExtern is what follows `parser:"import"`/`parser:"export"`:
//
//	name: func(...);            name: interface { ... }
//	name: iface;                name: ns:pkg/iface@v;     (named imports)
//	iface;                      ns:pkg/iface@v;
type gExtern struct {
	Pos     lexer.Position
	First   lexer.Token   `parser:"@Ident"`
	Colon   bool          `parser:"( @\":\""`
	Func    *gFuncType    `parser:"  ( @@ \";\""`
	Inline  *gInlineIface `parser:"  | @@"`
	Second  lexer.Token   `parser:"  | @Ident"`
	Slash   lexer.Token   `parser:"    ( \"/\" @Ident"`
	SlashV  *gVersion     `parser:"      ( \"@\" @@ )?"`
	Colon2  lexer.Token   `parser:"    | \":\" @Ident"`
	Iface2  lexer.Token   `parser:"      \"/\" @Ident"`
	Version *gVersion     `parser:"      ( \"@\" @@ )? )? \";\" ) | \";\" )"`
	EndPos  lexer.Position
}

type gInlineIface struct {
	Pos    lexer.Position
	Items  []*gIfaceItem `parser:"\"interface\":Keyword \"{\" @@* \"}\""`
	EndPos lexer.Position
}

type gInclude struct {
	Pos    lexer.Position
	Path   *gUsePath       `parser:"\"include\":Keyword @@"`
	With   bool            `parser:"( @\"with\":Keyword \"{\""`
	Names  []*gIncludeName `parser:"  ( @@ ( \",\" @@ )* )? \"}\" | \";\" )"`
	EndPos lexer.Position
}

type gIncludeName struct {
	Name lexer.Token `parser:"@Ident \"as\":Keyword"`
	As   lexer.Token `parser:"@Ident"`
}

type gTypeDef struct {
	Pos      lexer.Position
	Alias    *gAlias    `parser:"  @@"`
	Record   *gRecord   `parser:"| @@"`
	Variant  *gVariant  `parser:"| @@"`
	Enum     *gEnum     `parser:"| @@"`
	Flags    *gFlags    `parser:"| @@"`
	Resource *gResource `parser:"| @@"`
	EndPos   lexer.Position
}

type gAlias struct {
	Name lexer.Token `parser:"\"type\":Keyword @Ident \"=\""`
	Type *gType      `parser:"@@ \";\""`
}

type gRecord struct {
	Name   lexer.Token `parser:"\"record\":Keyword @Ident \"{\""`
	Fields []*gField   `parser:"( @@ ( \",\" @@ )* )? \"}\""`
}

type gField struct {
	Pos  lexer.Position
	Name lexer.Token `parser:"@Ident \":\""`
	Type *gType      `parser:"@@"`
}

type gVariant struct {
	Name  lexer.Token `parser:"\"variant\":Keyword @Ident \"{\""`
	Cases []*gCase    `parser:"( @@ ( \",\" @@ )* )? \"}\""`
}

type gCase struct {
	Pos  lexer.Position
	Name lexer.Token `parser:"@Ident"`
	Type *gType      `parser:"( \"(\" @@ \")\" )?"`
}

type gEnum struct {
	Name  lexer.Token `parser:"\"enum\":Keyword @Ident \"{\""`
	Cases []*gLabel   `parser:"( @@ ( \",\" @@ )* )? \"}\""`
}

type gFlags struct {
	Name  lexer.Token `parser:"\"flags\":Keyword @Ident \"{\""`
	Flags []*gLabel   `parser:"( @@ ( \",\" @@ )* )? \"}\""`
}

type gLabel struct {
	Pos  lexer.Position
	Name lexer.Token `parser:"@Ident"`
}

type gResource struct {
	Name  lexer.Token      `parser:"\"resource\":Keyword @Ident"`
	Body  bool             `parser:"( @\"{\""`
	Funcs []*gResourceFunc `parser:"  @@* \"}\" | \";\" )"`
}

type gResourceFunc struct {
	Pos         lexer.Position
	Attrs       []*gAttr    `parser:"@@*"`
	Name        lexer.Token `parser:"( @Ident \":\""`
	Static      bool        `parser:"  @\"static\":Keyword?"`
	Func        *gFuncType  `parser:"  @@"`
	Constructor *gCtor      `parser:"| @@ ) \";\""`
	EndPos      lexer.Position
}

type gCtor struct {
	Pos    lexer.Position
	Params []*gParam `parser:"\"constructor\":Keyword \"(\" ( @@ ( \",\" @@ )* )? \")\""`
	Result *gType    `parser:"( \"->\" @@ )?"`
	EndPos lexer.Position
}

// gType is a type expression.
type gType struct {
	Pos    lexer.Position
	Simple lexer.Token `parser:"(  @(Ident | \"bool\":Keyword | \"u8\":Keyword | \"u16\":Keyword | \"u32\":Keyword | \"u64\":Keyword | \"s8\":Keyword | \"s16\":Keyword | \"s32\":Keyword | \"s64\":Keyword | \"f32\":Keyword | \"f64\":Keyword | \"char\":Keyword | \"string\":Keyword | \"error-context\":Keyword)"`
	List   *gList      `parser:" | \"list\":Keyword @@"`
	Map    *gMap       `parser:" | \"map\":Keyword @@"`
	Option *gType      `parser:" | \"option\":Keyword \"<\" @@ \">\""`
	Result *gResult    `parser:" | @@"`
	Tuple  *gTuple     `parser:" | \"tuple\":Keyword @@"`
	Own    lexer.Token `parser:" | \"own\":Keyword \"<\" @Ident \">\""`
	Borrow lexer.Token `parser:" | \"borrow\":Keyword \"<\" @Ident \">\""`
	Future *gOptParam  `parser:" | \"future\":Keyword @@"`
	Stream *gOptParam  `parser:" | \"stream\":Keyword @@ )"`
	EndPos lexer.Position
}

type gList struct {
	Elem *gType `parser:"\"<\" @@"`
	Size *gSize `parser:"( \",\" @@ )? \">\""`
}

type gSize struct {
	Pos    lexer.Position
	Text   string `parser:"@Int"`
	EndPos lexer.Position
}

type gMap struct {
	Key   *gType `parser:"\"<\" @@ \",\""`
	Value *gType `parser:"@@ \">\""`
}

type gResult struct {
	Keyword bool   `parser:"@\"result\":Keyword"`
	Open    bool   `parser:"( @\"<\""`
	NoOK    bool   `parser:"  ( @\"_\" \",\""`
	Err0    *gType `parser:"    @@"`
	OK      *gType `parser:"  | @@"`
	Err     *gType `parser:"    ( \",\" @@ )? ) \">\" )?"`
}

type gTuple struct {
	Elems []*gType `parser:"\"<\" ( @@ ( \",\" @@ )* )? \">\""`
}

type gOptParam struct {
	Elem *gType `parser:"( \"<\" @@ \">\" )?"`
}

type gSemi struct {
	Pos lexer.Position
	X   string `parser:"@\";\""`
}
