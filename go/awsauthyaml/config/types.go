// Package config mirrors the mapping types of kubernetes-sigs/aws-iam-authenticator pkg/config/types.go (field names,
// JSON tags and Go types), so that encoding/json decodes a section into them exactly as the authenticator does and
// names them the same way in its errors ("Go struct field RoleMapping.groups of type []string").
package config

// RoleMapping is one mapRoles item.
type RoleMapping struct {
	RoleARN  string         `json:"rolearn,omitempty"`
	SSO      *SSOARNMatcher `json:"sso,omitempty"`
	Username string         `json:"username"`
	Groups   []string       `json:"groups"`
	UserId   string         `json:"userid,omitempty"`
}

// UserMapping is one mapUsers item.
type UserMapping struct {
	UserARN  string   `json:"userarn"`
	Username string   `json:"username"`
	Groups   []string `json:"groups"`
	UserId   string   `json:"userid,omitempty"`
}

// SSOARNMatcher is the alpha `sso:` matcher of a role mapping.
type SSOARNMatcher struct {
	PermissionSetName string `json:"permissionSetName"`
	AccountID         string `json:"accountID"`
	Partition         string `json:"partition,omitempty"`
}
