package wac

import "github.com/alecthomas/participle/v2/lexer"

// The participle grammar of WAC (the grammar at the end of wac's
// LANGUAGE.md). These structs never leave the package: the lowerer in
// parse.go turns them into the syntax tree. Every alternative starts with a
// distinct token, so participle needs no lookahead.

type gDocument struct {
	Directive *gDirective   `parser:"@@"`
	Stmts     []*gStatement `parser:"@@* EOF"`
}

type gDirective struct {
	Pos     lexer.Position
	Name    *gPackageName `parser:"\"package\":Keyword @@"`
	Targets *gRef         `parser:"( \"targets\":Keyword @@ )? \";\""`
	EndPos  lexer.Position
}

type gPackageName struct {
	Pos     lexer.Position
	First   lexer.Token   `parser:"@Ident"`
	Names   []lexer.Token `parser:"( \":\" @(Ident | Keyword) )+"`
	Version *gVersion     `parser:"( \"@\" @@ )?"`
	EndPos  lexer.Position
}

type gVersion struct {
	Tok lexer.Token `parser:"( @Version | @Int )"`
}

// gRef is `id` or a package path `id (: id)+ (/ id)+ (@ version)?`.
type gRef struct {
	Pos      lexer.Position
	First    lexer.Token   `parser:"@Ident"`
	Names    []lexer.Token `parser:"( ( \":\" @(Ident | Keyword) )+"`
	Segments []lexer.Token `parser:"  ( \"/\" @(Ident | Keyword) )+"`
	Version  *gVersion     `parser:"  ( \"@\" @@ )? )?"`
	EndPos   lexer.Position
}

type gStatement struct {
	Pos       lexer.Position
	Import    *gImport    `parser:"  \"import\":Keyword @@"`
	Let       *gLet       `parser:"| \"let\":Keyword @@"`
	Export    *gExport    `parser:"| \"export\":Keyword @@"`
	Interface *gInterface `parser:"| \"interface\":Keyword @@"`
	World     *gWorld     `parser:"| \"world\":Keyword @@"`
	Type      *gTypeDecl  `parser:"| @@"`
	EndPos    lexer.Position
}

type gImport struct {
	ID     lexer.Token `parser:"@Ident"`
	AsID   lexer.Token `parser:"( \"as\":Keyword ( @Ident"`
	AsStr  lexer.Token `parser:"  | @String ) )? \":\""`
	Func   *gFuncType  `parser:"( \"func\":Keyword @@"`
	Inline *gInline    `parser:"| \"interface\":Keyword @@"`
	Ref    *gRef       `parser:"| @@ ) \";\""`
}

type gLet struct {
	ID   lexer.Token `parser:"@Ident \"=\""`
	Expr *gExpr      `parser:"@@ \";\""`
}

type gExport struct {
	Expr   *gExpr      `parser:"@@"`
	Spread lexer.Token `parser:"( @\"...\""`
	AsID   lexer.Token `parser:"| \"as\":Keyword ( @Ident"`
	AsStr  lexer.Token `parser:"  | @String ) )? \";\""`
}

type gExpr struct {
	Pos     lexer.Position
	New     *gNew       `parser:"( \"new\":Keyword @@"`
	Nested  *gNested    `parser:"| @@"`
	Ident   lexer.Token `parser:"| @Ident )"`
	Postfix []*gPostfix `parser:"@@*"`
	EndPos  lexer.Position
}

type gNew struct {
	Pos    lexer.Position
	Name   *gPackageName `parser:"@@ \"{\""`
	Args   []*gArg       `parser:"( @@ ( \",\" @@ )* )? \"}\""`
	EndPos lexer.Position
}

type gNested struct {
	Pos    lexer.Position
	Inner  *gExpr `parser:"\"(\" @@ \")\""`
	EndPos lexer.Position
}

type gArg struct {
	Pos     lexer.Position
	Dots    bool        `parser:"( @\"...\""`
	Spread  lexer.Token `parser:"  @Ident?"`
	Ident   lexer.Token `parser:"| @Ident"`
	IdentEx *gExpr      `parser:"  ( \":\" @@ )?"`
	Str     lexer.Token `parser:"| @String"`
	StrEx   *gExpr      `parser:"  \":\" @@ )"`
	EndPos  lexer.Position
}

type gPostfix struct {
	Pos    lexer.Position
	Access lexer.Token `parser:"( \".\" @Ident"`
	Named  lexer.Token `parser:"| \"[\" @String \"]\" )"`
	EndPos lexer.Position
}

type gInterface struct {
	ID    lexer.Token   `parser:"@Ident \"{\""`
	Items []*gIfaceItem `parser:"@@* \"}\""`
}

type gInline struct {
	Pos    lexer.Position
	Items  []*gIfaceItem `parser:"\"{\" @@* \"}\""`
	EndPos lexer.Position
}

type gIfaceItem struct {
	Pos      lexer.Position
	Use      *gUse       `parser:"  \"use\":Keyword @@"`
	Resource *gResource  `parser:"| \"resource\":Keyword @@"`
	Type     *gTypeDecl  `parser:"| @@"`
	ID       lexer.Token `parser:"| @Ident \":\""`
	Func     *gFuncType  `parser:"  ( \"func\":Keyword @@"`
	FuncRef  lexer.Token `parser:"  | @Ident ) \";\""`
	EndPos   lexer.Position
}

type gUse struct {
	Path  *gRef       `parser:"@@ \".\" \"{\""`
	Items []*gUseItem `parser:"@@ ( \",\" @@ )* \"}\" \";\""`
}

type gUseItem struct {
	Pos    lexer.Position
	ID     lexer.Token `parser:"@Ident"`
	As     lexer.Token `parser:"( \"as\":Keyword @Ident )?"`
	EndPos lexer.Position
}

type gWorld struct {
	ID    lexer.Token   `parser:"@Ident \"{\""`
	Items []*gWorldItem `parser:"@@* \"}\""`
}

type gWorldItem struct {
	Pos      lexer.Position
	Use      *gUse       `parser:"  \"use\":Keyword @@"`
	Resource *gResource  `parser:"| \"resource\":Keyword @@"`
	Type     *gTypeDecl  `parser:"| @@"`
	Import   *gWorldPath `parser:"| \"import\":Keyword @@"`
	Export   *gWorldPath `parser:"| \"export\":Keyword @@"`
	Include  *gInclude   `parser:"| \"include\":Keyword @@"`
	EndPos   lexer.Position
}

// gWorldPath is what a world imports or exports: `id: func(...)`,
// `id: interface {...}`, `id: id`, a package path, or `id`.
type gWorldPath struct {
	Pos      lexer.Position
	First    lexer.Token   `parser:"@Ident"`
	Colon    bool          `parser:"( @\":\""`
	Func     *gFuncType    `parser:"  ( \"func\":Keyword @@"`
	Inline   *gInline      `parser:"  | \"interface\":Keyword @@"`
	Second   lexer.Token   `parser:"  | @Ident"`
	Names    []lexer.Token `parser:"    ( ( \":\" @(Ident | Keyword) )*"`
	Segments []lexer.Token `parser:"      ( \"/\" @(Ident | Keyword) )+"`
	Version  *gVersion     `parser:"      ( \"@\" @@ )? )? ) )? \";\""`
}

type gInclude struct {
	World *gRef           `parser:"@@"`
	With  []*gIncludeName `parser:"( \"with\":Keyword \"{\" @@ ( \",\" @@ )* \"}\" )? \";\""`
}

type gIncludeName struct {
	Pos    lexer.Position
	ID     lexer.Token `parser:"@Ident \"as\":Keyword"`
	As     lexer.Token `parser:"@Ident"`
	EndPos lexer.Position
}

type gTypeDecl struct {
	Variant *gVariant `parser:"  \"variant\":Keyword @@"`
	Record  *gRecord  `parser:"| \"record\":Keyword @@"`
	Flags   *gFlags   `parser:"| \"flags\":Keyword @@"`
	Enum    *gEnum    `parser:"| \"enum\":Keyword @@"`
	Alias   *gAlias   `parser:"| \"type\":Keyword @@"`
}

type gResource struct {
	ID      lexer.Token `parser:"@Ident"`
	Body    bool        `parser:"( @\"{\""`
	Methods []*gMethod  `parser:"  @@* \"}\" | \";\" )"`
}

type gMethod struct {
	Pos    lexer.Position
	Ctor   *gCtor      `parser:"( \"constructor\":Keyword @@"`
	ID     lexer.Token `parser:"| @Ident \":\""`
	Static bool        `parser:"  @\"static\":Keyword?"`
	Func   *gFuncType  `parser:"  \"func\":Keyword @@ ) \";\""`
	EndPos lexer.Position
}

type gCtor struct {
	Params []*gNamedType `parser:"\"(\" ( @@ ( \",\" @@ )* )? \")\""`
	EndPos lexer.Position
}

type gVariant struct {
	ID    lexer.Token `parser:"@Ident \"{\""`
	Cases []*gCase    `parser:"( @@ ( \",\" @@ )* )?"`
	Close lexer.Token `parser:"@\"}\""`
}

type gCase struct {
	Pos    lexer.Position
	ID     lexer.Token `parser:"@Ident"`
	Type   *gType      `parser:"( \"(\" @@ \")\" )?"`
	EndPos lexer.Position
}

type gRecord struct {
	ID     lexer.Token   `parser:"@Ident \"{\""`
	Fields []*gNamedType `parser:"( @@ ( \",\" @@ )* )?"`
	Close  lexer.Token   `parser:"@\"}\""`
}

type gFlags struct {
	ID    lexer.Token `parser:"@Ident \"{\""`
	Flags []*gLabel   `parser:"( @@ ( \",\" @@ )* )?"`
	Close lexer.Token `parser:"@\"}\""`
}

type gEnum struct {
	ID    lexer.Token `parser:"@Ident \"{\""`
	Cases []*gLabel   `parser:"( @@ ( \",\" @@ )* )?"`
	Close lexer.Token `parser:"@\"}\""`
}

type gLabel struct {
	ID lexer.Token `parser:"@Ident"`
}

type gAlias struct {
	ID   lexer.Token `parser:"@Ident \"=\""`
	Func *gFuncType  `parser:"( \"func\":Keyword @@"`
	Type *gType      `parser:"| @@ ) \";\""`
}

// gFuncType follows the `func` keyword (the caller matches it, so that a
// syntax error at it names the keyword).
type gFuncType struct {
	Pos     lexer.Position
	Params  []*gNamedType `parser:"\"(\" ( @@ ( \",\" @@ )* )? \")\""`
	Arrow   bool          `parser:"( @\"->\""`
	Results []*gNamedType `parser:"  ( \"(\" @@ ( \",\" @@ )* \")\""`
	Result  *gType        `parser:"  | @@ ) )?"`
	EndPos  lexer.Position
}

type gNamedType struct {
	Pos    lexer.Position
	ID     lexer.Token `parser:"@Ident \":\""`
	Type   *gType      `parser:"@@"`
	EndPos lexer.Position
}

type gType struct {
	Pos       lexer.Position
	Primitive lexer.Token `parser:"(  @(\"u8\":Keyword | \"s8\":Keyword | \"u16\":Keyword | \"s16\":Keyword | \"u32\":Keyword | \"s32\":Keyword | \"u64\":Keyword | \"s64\":Keyword | \"f32\":Keyword | \"f64\":Keyword | \"char\":Keyword | \"bool\":Keyword | \"string\":Keyword)"`
	Tuple     []*gType    `parser:" | \"tuple\":Keyword \"<\" @@ ( \",\" @@ )* \">\""`
	List      *gType      `parser:" | \"list\":Keyword \"<\" @@ \">\""`
	Option    *gType      `parser:" | \"option\":Keyword \"<\" @@ \">\""`
	Result    *gResult    `parser:" | \"result\":Keyword @@"`
	Borrow    lexer.Token `parser:" | \"borrow\":Keyword \"<\" @Ident \">\""`
	Name      lexer.Token `parser:" | @Ident )"`
	EndPos    lexer.Position
}

type gResult struct {
	Open bool   `parser:"( @\"<\""`
	NoOK bool   `parser:"  ( @\"_\""`
	Err0 *gType `parser:"    ( \",\" @@ )?"`
	OK   *gType `parser:"  | @@"`
	Err  *gType `parser:"    ( \",\" @@ )? ) \">\" )?"`
}
