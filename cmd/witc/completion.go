package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"
)

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print a shell completion script (bash, zsh or fish)",
		ArgsUsage: "bash|zsh|fish",
		Description: "Completes commands, their flags, the arguments of help, cache and completion, and file names.\n" +
			"bash:  source <(witc completion bash)     (or save it in ~/.local/share/bash-completion/completions/witc)\n" +
			"zsh:   source <(witc completion zsh)      (in ~/.zshrc, after compinit)\n" +
			"fish:  witc completion fish > ~/.config/fish/completions/witc.fish",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usagef("completion: expected the shell: bash, zsh or fish")
			}
			var script string
			switch sh := c.Args().First(); sh {
			case "bash":
				script = bashCompletion(c.App)
			case "zsh":
				script = "#compdef witc\n# zsh completion for witc: source <(witc completion zsh)\n" +
					"autoload -U +X bashcompinit && bashcompinit\n" + bashCompletion(c.App)
			case "fish":
				script = fishCompletion(c.App)
			default:
				return usagef("completion: unknown shell %q: expected bash, zsh or fish", sh)
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}

// flagNames lists a command's flags as typed: --name, -n.
func flagNames(c *cli.Command) []string {
	out := []string{"--help"}
	for _, f := range c.Flags {
		for _, n := range f.Names() {
			if len(n) == 1 {
				out = append(out, "-"+n)
			} else {
				out = append(out, "--"+n)
			}
		}
	}
	sort.Strings(out)
	return out
}

// commandWords are the completions of a command's arguments that are
// words rather than files.
var commandWords = map[string]string{
	"cache":      "dir size clean",
	"completion": "bash zsh fish",
}

func commandNames(app *cli.App) []string {
	var out []string
	for _, c := range app.Commands {
		out = append(out, c.Name)
	}
	return out
}

func bashCompletion(app *cli.App) string {
	var b strings.Builder
	b.WriteString(`# bash completion for witc: source <(witc completion bash)
_witc() {
  local cur=${COMP_WORDS[COMP_CWORD]} words="" flags=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "` + strings.Join(commandNames(app), " ") + ` --help --version" -- "$cur"))
    return
  fi
  case ${COMP_WORDS[1]} in
`)
	for _, c := range app.Commands {
		words := commandWords[c.Name]
		if c.Name == "help" {
			words = strings.Join(commandNames(app), " ")
		}
		fmt.Fprintf(&b, "    %s) flags=%q; words=%q ;;\n", c.Name, strings.Join(flagNames(c), " "), words)
	}
	b.WriteString(`  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  elif [[ -n $words ]]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -f -- "$cur"))
  fi
}
complete -o filenames -o bashdefault -F _witc witc
`)
	return b.String()
}

func fishCompletion(app *cli.App) string {
	var b strings.Builder
	b.WriteString("# fish completion for witc: witc completion fish > ~/.config/fish/completions/witc.fish\n")
	names := strings.Join(commandNames(app), " ")
	for _, c := range app.Commands {
		fmt.Fprintf(&b, "complete -c witc -n 'not __fish_seen_subcommand_from %s' -f -a %s -d %s\n", names, c.Name, fishQuote(c.Usage))
	}
	for _, c := range app.Commands {
		cond := fmt.Sprintf("-n '__fish_seen_subcommand_from %s'", c.Name)
		for _, f := range c.Flags {
			var opts []string
			for _, n := range f.Names() {
				if len(n) == 1 {
					opts = append(opts, "-s "+n)
				} else {
					opts = append(opts, "-l "+n)
				}
			}
			usage := ""
			if df, ok := f.(cli.DocGenerationFlag); ok {
				usage = strings.ReplaceAll(df.GetUsage(), "`", "")
			}
			if _, isBool := f.(*cli.BoolFlag); !isBool {
				opts = append(opts, "-r")
			}
			fmt.Fprintf(&b, "complete -c witc %s %s -d %s\n", cond, strings.Join(opts, " "), fishQuote(usage))
		}
		words := commandWords[c.Name]
		if c.Name == "help" {
			words = names
		}
		if words != "" {
			fmt.Fprintf(&b, "complete -c witc %s -f -a %s\n", cond, fishQuote(words))
		}
	}
	return b.String()
}

func fishQuote(s string) string {
	return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
}
