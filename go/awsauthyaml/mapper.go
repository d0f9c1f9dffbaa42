package main

// A second, independent implementation of who aws-iam-authenticator says a caller is, written in Go from the upstream
// structure (kubernetes-sigs/aws-iam-authenticator v0.7.18): ParseMap with Validate (pkg/mapper/configmap/configmap.go,
// pkg/config/mapper.go), the keyed store and its lookups (saveMap, RoleMapping, UserMapping), Canonicalize of the
// caller (pkg/arn/arn.go), the mappers of each authentication mode and doMapping with renderTemplates
// (pkg/server/server.go), and the DynamicFile mapper that serves access entries (pkg/mapper/dynamicfile). The
// emulator's Kubernetes API authenticates with it, and tests compare the TypeScript model with it.

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"./config"
)

var errNotMapped = errors.New("identity is not mapped") // pkg/errutil/errors.go, v0.7.7 and later

var partitions = []string{"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"}

var (
	accountIDRe     = regexp.MustCompile(`^[0-9]{12}$`)
	permissionSetRe = regexp.MustCompile(`^[\w+=,.@-]{1,32}$`)
	instanceIDRe    = regexp.MustCompile(`^i-(\w{8}|\w{17})$`)
)

type identity struct {
	arn, canonical, account, session, accessKeyID string
	kind                                          string
}

// canonicalize follows arn.Canonicalize over the SDK's arn.Parse (six ":"-separated sections, "arn:" first).
func canonicalize(a string) (identity, error) {
	parts := strings.SplitN(a, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" {
		return identity{}, fmt.Errorf("arn '%s' is invalid", a)
	}
	partition, service, account, resource := parts[1], parts[2], parts[4], parts[5]
	known := false
	for _, p := range partitions {
		known = known || p == partition
	}
	if !known {
		return identity{}, fmt.Errorf("arn '%s' does not have a recognized partition", a)
	}
	path := strings.Split(resource, "/")
	id := identity{arn: a, canonical: a, account: account, kind: path[0]}
	switch {
	case service == "sts" && path[0] == "federated-user":
	case service == "sts" && path[0] == "assumed-role":
		if len(path) < 3 {
			return identity{}, fmt.Errorf("assumed-role arn '%s' does not have a role", a)
		}
		id.canonical = fmt.Sprintf("arn:%s:iam::%s:role/%s", partition, account, strings.Join(path[1:len(path)-1], "/"))
		id.session = path[len(path)-1]
	case service == "iam" && (path[0] == "role" || path[0] == "user" || path[0] == "root"):
	default:
		return identity{}, fmt.Errorf("arn '%s' is not an identity", a)
	}
	return id, nil
}

func validateRole(m config.RoleMapping) error {
	if m.RoleARN == "" && m.SSO == nil {
		return errors.New("one of rolearn or SSO must be supplied")
	}
	if m.RoleARN != "" && m.SSO != nil {
		return errors.New("only one of rolearn or SSO can be supplied")
	}
	if m.SSO != nil {
		if !accountIDRe.MatchString(m.SSO.AccountID) {
			return fmt.Errorf("AccountID '%s' is not a valid AWS Account ID", m.SSO.AccountID)
		}
		if !permissionSetRe.MatchString(m.SSO.PermissionSetName) {
			return fmt.Errorf("PermissionSetName '%s' is not a valid AWS SSO PermissionSet Name", m.SSO.PermissionSetName)
		}
		if m.SSO.Partition != "" {
			known := false
			for _, p := range partitions {
				known = known || p == m.SSO.Partition
			}
			if !known {
				return fmt.Errorf("partition '%s' is not a valid AWS partition", m.SSO.Partition)
			}
		}
	}
	return nil
}

// mapping is what a mapper hands to renderTemplates.
type mapping struct {
	username string
	groups   []string
	// entry is the access entry's principal, for the DynamicFile mapper.
	entry string
}

type mapper interface {
	name() string
	lookup(id identity) (*mapping, error)
	accountAllowed(account string) bool
}

// configMapMapper is the EKSConfigMap mapper over the store saveMap builds.
type configMapMapper struct {
	roles    map[string]config.RoleMapping
	users    map[string]config.UserMapping
	accounts map[string]bool
}

func loadConfigMap(data map[string]string) *configMapMapper {
	m := &configMapMapper{roles: map[string]config.RoleMapping{}, users: map[string]config.UserMapping{}, accounts: map[string]bool{}}
	if text, ok := data["mapUsers"]; ok {
		r := readSection("mapUsers", text, true)
		for _, u := range r.Users {
			if u.UserARN == "" { // UserMapping.Validate
				continue
			}
			m.users[u.UserARN] = u
		}
	}
	if text, ok := data["mapRoles"]; ok {
		r := readSection("mapRoles", text, true)
		for _, role := range r.Roles {
			if validateRole(role) != nil {
				continue
			}
			key := strings.ToLower(role.RoleARN)
			if role.RoleARN == "" {
				// SSO entries: keyed by their ARN pattern; they match only with the SSORoleMatch gate, off by default.
				key = "sso:" + role.SSO.AccountID + "/" + role.SSO.PermissionSetName + "/" + role.SSO.Partition
			}
			m.roles[key] = role
		}
	}
	if text, ok := data["mapAccounts"]; ok {
		for _, a := range readSection("mapAccounts", text, true).Accounts {
			m.accounts[a] = true
		}
	}
	return m
}

func (m *configMapMapper) name() string { return "EKSConfigMap" }

func (m *configMapMapper) accountAllowed(account string) bool { return m.accounts[account] }

// lookup follows ConfigMapMapper.Map: roles then users, each scanned with Matches (EqualFold) against the lower-cased
// canonical ARN. Several users differing only in case all match; Go's map order picks one.
func (m *configMapMapper) lookup(id identity) (*mapping, error) {
	subject := strings.ToLower(id.canonical)
	for _, r := range m.roles {
		if r.RoleARN != "" && strings.EqualFold(r.RoleARN, subject) {
			return &mapping{r.Username, r.Groups, ""}, nil
		}
	}
	for _, u := range m.users {
		if strings.EqualFold(u.UserARN, subject) {
			return &mapping{u.Username, u.Groups, ""}, nil
		}
	}
	return nil, errNotMapped
}

// accessEntry is the EKS API's view of one (DescribeAccessEntry).
type accessEntry struct {
	PrincipalArn     string   `json:"principalArn"`
	Type             string   `json:"type,omitempty"`
	Username         string   `json:"username,omitempty"`
	KubernetesGroups []string `json:"kubernetesGroups,omitempty"`
}

// stripPath drops an IAM role's path: STS reports role sessions without it.
func stripPath(a string) string {
	i := strings.Index(a, ":role/")
	if i < 0 {
		return a
	}
	name := a[i+len(":role/"):]
	return a[:i+len(":role/")] + name[strings.LastIndex(name, "/")+1:]
}

// dynamicFileMapper serves access entries. EKS writes each entry into the authenticator's dynamic file; the username
// and groups it writes for an entry without them are the EKS API's documented defaults for the entry's type
// (CreateAccessEntry: username, type). The lookup follows pkg/mapper/dynamicfile (saveMap keyed by the canonicalized,
// lower-cased ARN; Map by the lower-cased canonical caller).
type dynamicFileMapper struct {
	entries map[string]mapping
}

func loadAccessEntries(entries []accessEntry) *dynamicFileMapper {
	m := &dynamicFileMapper{entries: map[string]mapping{}}
	for _, e := range entries {
		arn := stripPath(strings.TrimSpace(e.PrincipalArn))
		id, err := canonicalize(strings.ToLower(arn))
		if err != nil {
			continue
		}
		username := e.Username
		groups := append([]string{}, e.KubernetesGroups...)
		switch e.Type {
		case "EC2_LINUX", "EC2_WINDOWS", "EC2", "HYPERPOD_LINUX":
			if username == "" {
				username = "system:node:{{EC2PrivateDNSName}}"
			}
			groups = append([]string{"system:bootstrappers", "system:nodes"}, groups...)
		case "FARGATE_LINUX", "HYBRID_LINUX":
			if username == "" {
				username = "system:node:{{SessionName}}"
			}
			node := []string{"system:bootstrappers", "system:nodes"}
			if e.Type == "FARGATE_LINUX" {
				node = append(node, "system:node-proxier")
			}
			groups = append(node, groups...)
		default:
			if username == "" {
				if parts := strings.SplitN(arn, ":", 6); len(parts) == 6 && strings.HasPrefix(parts[5], "role/") {
					username = fmt.Sprintf("arn:%s:sts::%s:assumed-role/%s/{{SessionName}}", parts[1], parts[4], strings.TrimPrefix(parts[5], "role/"))
				} else {
					username = e.PrincipalArn
				}
			}
		}
		m.entries[id.canonical] = mapping{username, groups, e.PrincipalArn}
	}
	return m
}

func (m *dynamicFileMapper) name() string               { return "DynamicFile" }
func (m *dynamicFileMapper) accountAllowed(string) bool { return false }
func (m *dynamicFileMapper) lookup(id identity) (*mapping, error) {
	if e, ok := m.entries[strings.ToLower(id.canonical)]; ok {
		return &e, nil
	}
	return nil, errNotMapped
}

// renderTemplate follows server.go renderTemplate; the EC2 private DNS name comes from the request (the emulator's
// instances) instead of ec2:DescribeInstances.
func renderTemplate(t string, id identity, dns map[string]string) (string, error) {
	if strings.Contains(t, "{{EC2PrivateDNSName}}") {
		if !instanceIDRe.MatchString(id.session) {
			return "", errors.New("SessionName did not contain an instance id")
		}
		name, ok := dns[id.session]
		if !ok {
			return "", fmt.Errorf("instance %s not found", id.session)
		}
		t = strings.ReplaceAll(t, "{{EC2PrivateDNSName}}", name)
	}
	t = strings.ReplaceAll(t, "{{AccountID}}", id.account)
	t = strings.ReplaceAll(t, "{{SessionName}}", strings.ReplaceAll(id.session, "@", "-"))
	t = strings.ReplaceAll(t, "{{SessionNameRaw}}", id.session)
	t = strings.ReplaceAll(t, "{{AccessKeyID}}", id.accessKeyID)
	return t, nil
}

// authRequest asks who a caller is on a cluster.
type authRequest struct {
	Mode          string            `json:"mode"`
	AwsAuth       map[string]string `json:"awsAuth,omitempty"`
	AccessEntries []accessEntry     `json:"accessEntries,omitempty"`
	Arn           string            `json:"arn"`
	AccessKeyID   string            `json:"accessKeyId,omitempty"`
	PrivateDNS    map[string]string `json:"privateDnsNames,omitempty"`
}

type authResult struct {
	Authenticated bool     `json:"authenticated"`
	Username      string   `json:"username,omitempty"`
	Groups        []string `json:"groups,omitempty"`
	// Error is what the authenticator logs with "access denied".
	Error string `json:"error,omitempty"`
	Arn   string `json:"arn,omitempty"`
	// Mapper is the mapper that answered (DynamicFile, EKSConfigMap); AccessEntry the entry's principal.
	Mapper      string `json:"mapper,omitempty"`
	AccessEntry string `json:"accessEntry,omitempty"`
}

// authenticate is doMapping over the mappers of the mode, then renderTemplates.
func authenticate(req authRequest) authResult {
	id, err := canonicalize(req.Arn)
	if err != nil {
		return authResult{Error: err.Error()}
	}
	id.accessKeyID = req.AccessKeyID
	var mappers []mapper
	if req.Mode != "CONFIG_MAP" {
		mappers = append(mappers, loadAccessEntries(req.AccessEntries))
	}
	if req.Mode != "API" && req.AwsAuth != nil {
		mappers = append(mappers, loadConfigMap(req.AwsAuth))
	}
	for _, m := range mappers {
		found, err := m.lookup(id)
		if err == nil {
			username, err := renderTemplate(found.username, id, req.PrivateDNS)
			if err != nil {
				return authResult{Arn: id.canonical, Error: fmt.Sprintf("mapper %s renderTemplates error: error rendering username template %q: %s", m.name(), found.username, err)}
			}
			groups := []string{}
			for _, g := range found.groups {
				r, err := renderTemplate(g, id, req.PrivateDNS)
				if err != nil {
					return authResult{Arn: id.canonical, Error: fmt.Sprintf("mapper %s renderTemplates error: error rendering group template %q: %s", m.name(), g, err)}
				}
				groups = append(groups, r)
			}
			return authResult{Authenticated: true, Username: username, Groups: groups, Arn: id.canonical, Mapper: m.name(), AccessEntry: found.entry}
		}
		if m.accountAllowed(id.account) {
			return authResult{Authenticated: true, Username: id.canonical, Groups: []string{}, Arn: id.canonical, Mapper: m.name()}
		}
	}
	return authResult{Arn: id.canonical, Error: errNotMapped.Error()}
}
