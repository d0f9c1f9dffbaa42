package main

// How aws-iam-authenticator's ParseMap (pkg/mapper/configmap/configmap.go) reads one aws-auth section, written from
// its structure: mapRoles and mapUsers through k8s.io/apimachinery's utilyaml.ToJSON (text whose first non-space
// character is "{" is passed on as it is; anything else goes through sigs.k8s.io/yaml.YAMLToJSON, i.e. go-yaml v2 into
// interface{}, then json.Marshal), then encoding/json into the mapping types; mapAccounts straight through go-yaml v2
// into []string. Only the libraries themselves decide: this file adds no rule of its own beyond that sequence.

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"./config"
	"gopkg.in/yaml.v2"
	sigsyaml "sigs.k8s.io/yaml"
)

// sectionResult is what one section becomes.
type sectionResult struct {
	// Skipped: ParseMap's isSkippable (blank after trimming, "``", `""` or `''`).
	Skipped bool `json:"skipped,omitempty"`
	// JSON is what utilyaml.ToJSON returned (mapRoles/mapUsers).
	JSON *string `json:"json,omitempty"`
	// Error is ToJSON's error, or for mapAccounts go-yaml's: the authenticator logs it and keeps what decoded.
	Error string `json:"error,omitempty"`
	// ErrorLine is the 1-based line of a syntax error (0: not known), see errorLine.
	ErrorLine int `json:"errorLine,omitempty"`
	// UnmarshalError is encoding/json's error for mapRoles/mapUsers.
	UnmarshalError string               `json:"unmarshalError,omitempty"`
	Roles          []config.RoleMapping `json:"roles,omitempty"`
	Users          []config.UserMapping `json:"users,omitempty"`
	Accounts       []string             `json:"accounts,omitempty"`
}

func skippable(text string) bool {
	t := strings.TrimSpace(text)
	// `''` since aws-iam-authenticator v0.7.1 and v0.6.30 (commit fb3af2c7, "Avoid parsing single quote empty inputs").
	return t == "" || t == "``" || t == `""` || t == "''"
}

// toJSON follows utilyaml.ToJSON: a "{" after leading unicode.IsSpace runes means JSON already.
func toJSON(data []byte) ([]byte, error) {
	if bytes.HasPrefix(bytes.TrimLeftFunc(data, unicode.IsSpace), []byte("{")) {
		return data, nil
	}
	return sigsyaml.YAMLToJSON(data)
}

// readSection reads one section; decode also returns what encoding/json made of it (the native oracle does; the
// extension decodes the JSON itself and takes only the conversion and encoding/json's error).
func readSection(section, text string, decode bool) sectionResult {
	var r sectionResult
	if skippable(text) {
		r.Skipped = true
		return r
	}
	if section == "mapAccounts" {
		accounts := make([]string, 0)
		if err := yaml.Unmarshal([]byte(text), &accounts); err != nil {
			r.Error = err.Error()
			r.ErrorLine = errorLine(r.Error)
		}
		r.Accounts = accounts
		return r
	}
	converted, err := toJSON([]byte(text))
	if err != nil {
		r.Error = err.Error()
		r.ErrorLine = errorLine(r.Error)
		return r
	}
	s := string(converted)
	r.JSON = &s
	if section == "mapRoles" {
		roles := make([]config.RoleMapping, 0)
		if err := json.Unmarshal(converted, &roles); err != nil {
			r.UnmarshalError = err.Error()
		}
		if decode {
			r.Roles = roles
		}
	} else {
		users := make([]config.UserMapping, 0)
		if err := json.Unmarshal(converted, &users); err != nil {
			r.UnmarshalError = err.Error()
		}
		if decode {
			r.Users = users
		}
	}
	return r
}

// go-yaml v2's parser problems (parserc.go). decode.go's fail() prints "line N" from the problem's 0-based line for
// these, and from the 0-based line plus one for the scanner's problems; the two sets share no text.
var parserProblems = []string{
	"did not find expected ',' or ']'", "did not find expected ',' or '}'", "did not find expected '-' indicator",
	"did not find expected <document start>", "did not find expected <stream-start>", "did not find expected key",
	"did not find expected node content", "found duplicate %TAG directive", "found duplicate %YAML directive",
	"found incompatible YAML document", "found undefined tag handle",
}

var lineRe = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// errorLine is the real 1-based line of a go-yaml syntax error, or 0: the message only tells it through fail()'s
// arithmetic, which is what the extension underlines.
func errorLine(message string) int {
	m := lineRe.FindStringSubmatch(message)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	for _, p := range parserProblems {
		if m[2] == p {
			return n + 1
		}
	}
	return n
}

// request is one line of input: a section to read (step 5 adds more operations).
type request struct {
	ID      int    `json:"id"`
	Op      string `json:"op"`
	Section string `json:"section,omitempty"`
	Text    string `json:"text,omitempty"`
	// Convert only: skip encoding/json into the mapping types.
	ConvertOnly bool `json:"convertOnly,omitempty"`
	// For "authenticate".
	Auth *authRequest `json:"auth,omitempty"`
}

type response struct {
	ID      int            `json:"id"`
	Section *sectionResult `json:"section,omitempty"`
	Auth    *authResult    `json:"auth,omitempty"`
	Fail    string         `json:"fail,omitempty"`
}

func handle(line []byte) []byte {
	var req request
	var res response
	if err := json.Unmarshal(line, &req); err != nil {
		res.Fail = "bad request: " + err.Error()
	} else {
		res.ID = req.ID
		switch req.Op {
		case "section":
			r := readSection(req.Section, req.Text, !req.ConvertOnly)
			res.Section = &r
		case "authenticate":
			if req.Auth == nil {
				res.Fail = "authenticate needs auth"
				break
			}
			r := authenticate(*req.Auth)
			res.Auth = &r
		default:
			res.Fail = "unknown op: " + req.Op
		}
	}
	out, _ := json.Marshal(res)
	return out
}
