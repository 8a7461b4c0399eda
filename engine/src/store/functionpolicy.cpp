// Resource-based policies: AddPermission's statements, one policy per function and per version or
// alias, kept in SQLite and rendered as the IAM policy document GetPolicy returns. They go with
// their function (the database cascades), version or alias.
#include "common/random.h"
#include "store/functionstoreimpl.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <regex>

namespace lambdesk::engine {

namespace {

using nlohmann::ordered_json;

constexpr std::size_t kMaxPolicyBytes = 20480;

// One member against its model shape: absent members (empty) pass unless required.
Result<void> checkMember(const std::string &value, const char *field, const char *pattern,
                         std::size_t minLength, std::size_t maxLength)
{
    if (!std::regex_match(value, std::regex(pattern)))
        return constraintError(value, field,
                               std::string("Member must satisfy regular expression pattern: ") +
                                   pattern);
    if (value.size() < minLength)
        return constraintError(value, field,
                               "Member must have length greater than or equal to " +
                                   std::to_string(minLength));
    if (value.size() > maxLength)
        return constraintError(value, field,
                               "Member must have length less than or equal to " +
                                   std::to_string(maxLength));
    return {};
}

// The model's constraints (service-2.json), in the order of its members.
Result<void> checkRequest(const PermissionRequest &request)
{
    if (auto sid = checkMember(request.statementId, "statementId", "([a-zA-Z0-9-_]+)", 1, 100);
        !sid)
        return sid;
    if (auto action = checkMember(request.action, "action", "(lambda:[*]|lambda:[a-zA-Z]+|[*])", 0,
                                  std::string::npos);
        !action)
        return action;
    if (auto principal =
            checkMember(request.principal, "principal", "[^\\s]+", 0, std::string::npos);
        !principal)
        return principal;
    if (!request.sourceArn.empty())
        if (auto arn =
                checkMember(request.sourceArn, "sourceArn",
                            "arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\\-])+:([a-z]{2}(-gov)?-[a-z]+-"
                            "\\d{1})?:(\\d{12})?:(.*)",
                            0, std::string::npos);
            !arn)
            return arn;
    if (!request.sourceAccount.empty())
        if (auto account = checkMember(request.sourceAccount, "sourceAccount", "\\d{12}", 0, 12);
            !account)
            return account;
    if (!request.eventSourceToken.empty())
        if (auto token = checkMember(request.eventSourceToken, "eventSourceToken",
                                     "[a-zA-Z0-9._\\-]+", 0, 256);
            !token)
            return token;
    if (!request.principalOrgId.empty())
        if (auto org =
                checkMember(request.principalOrgId, "principalOrgID", "o-[a-z0-9]{10,32}", 12, 34);
            !org)
            return org;
    if (!request.functionUrlAuthType.empty() && request.functionUrlAuthType != "NONE" &&
        request.functionUrlAuthType != "AWS_IAM")
        return constraintError(request.functionUrlAuthType, "functionUrlAuthType",
                               "Member must satisfy enum value set: [NONE, AWS_IAM]");
    return {};
}

// "123456789012" -> {"AWS": "arn:aws:iam::123456789012:root"}; a service -> {"Service": ...}.
Result<ordered_json> principalJson(const std::string &principal)
{
    static const std::regex account("\\d{12}");
    static const std::regex service("[a-zA-Z0-9.-]+\\.[a-zA-Z0-9-]+");
    if (principal == "*")
        return ordered_json(principal);
    if (std::regex_match(principal, account))
        return ordered_json{{"AWS", "arn:aws:iam::" + principal + ":root"}};
    if (principal.starts_with("arn:aws:iam::") || principal.starts_with("arn:aws:sts::"))
        return ordered_json{{"AWS", principal}};
    if (std::regex_match(principal, service))
        return ordered_json{{"Service", principal}};
    return makeError(
        ErrorCode::InvalidParameter,
        "The provided principal was invalid. Please check the principal and try again.");
}

// The statement as AWS writes it: Sid, Effect, Principal, Action, Resource, then any Condition.
Result<ordered_json> statementJson(const PermissionRequest &request, const std::string &resource)
{
    auto principal = principalJson(request.principal);
    if (!principal)
        return principal.error();
    ordered_json statement{{"Sid", request.statementId},
                           {"Effect", "Allow"},
                           {"Principal", std::move(*principal)},
                           {"Action", request.action},
                           {"Resource", resource}};
    ordered_json stringEquals = ordered_json::object();
    if (!request.sourceAccount.empty())
        stringEquals["AWS:SourceAccount"] = request.sourceAccount;
    if (!request.principalOrgId.empty())
        stringEquals["aws:PrincipalOrgID"] = request.principalOrgId;
    if (!request.eventSourceToken.empty())
        stringEquals["lambda:EventSourceToken"] = request.eventSourceToken;
    if (!request.functionUrlAuthType.empty())
        stringEquals["lambda:FunctionUrlAuthType"] = request.functionUrlAuthType;
    ordered_json condition = ordered_json::object();
    if (!stringEquals.empty())
        condition["StringEquals"] = std::move(stringEquals);
    if (!request.sourceArn.empty())
        condition["ArnLike"] = {{"AWS:SourceArn", request.sourceArn}};
    if (request.invokedViaFunctionUrl)
        condition["Bool"] = {{"lambda:InvokedViaFunctionUrl", "true"}};
    if (!condition.empty())
        statement["Condition"] = std::move(condition);
    return statement;
}

struct StoredPolicy {
    std::vector<std::pair<std::string, std::string>> statements; // sid, statement JSON, in order
    std::string revisionId;
};

StoredPolicy loadPolicy(detail::Database &db, const std::string &name, const std::string &qualifier)
{
    StoredPolicy policy;
    auto statements =
        db.prepare("SELECT sid, statement FROM policy_statements WHERE function_name = ? "
                   "AND qualifier = ? ORDER BY position");
    statements.bind(1, name).bind(2, qualifier);
    while (statements.step())
        policy.statements.emplace_back(statements.text(0), statements.text(1));
    auto revision =
        db.prepare("SELECT revision_id FROM policies WHERE function_name = ? AND qualifier = ?");
    revision.bind(1, name).bind(2, qualifier);
    if (revision.step())
        policy.revisionId = revision.text(0);
    return policy;
}

std::string documentOf(const StoredPolicy &policy)
{
    ordered_json document{
        {"Version", "2012-10-17"}, {"Id", "default"}, {"Statement", ordered_json::array()}};
    for (const auto &[sid, statement] : policy.statements)
        document["Statement"].push_back(ordered_json::parse(statement));
    return document.dump();
}

void saveRevision(detail::Database &db, const std::string &name, const std::string &qualifier,
                  bool empty)
{
    if (empty) {
        db.prepare("DELETE FROM policies WHERE function_name = ? AND qualifier = ?")
            .bind(1, name)
            .bind(2, qualifier)
            .run();
        return;
    }
    db.prepare(
          "INSERT INTO policies (function_name, qualifier, revision_id) VALUES (?, ?, ?) "
          "ON CONFLICT (function_name, qualifier) DO UPDATE SET revision_id = excluded.revision_id")
        .bind(1, name)
        .bind(2, qualifier)
        .bind(3, common::newUuid())
        .run();
}

Error policyRevisionMismatch()
{
    return makeError(ErrorCode::PreconditionFailed,
                     "The Revision Id provided does not match the latest Revision Id. Call the "
                     "GetPolicy API to retrieve the latest Revision Id");
}

} // namespace

// "" (the function itself), a published version or an alias; $LATEST has no policy of its own.
Result<std::string> FunctionStore::Impl::policyQualifier(const std::string &name,
                                                         const std::string &qualifier)
{
    if (!loadFunction(name))
        return notFound(name);
    if (qualifier.empty() || qualifier == "$LATEST")
        return std::string();
    const bool number = std::all_of(qualifier.begin(), qualifier.end(),
                                    [](char c) { return c >= '0' && c <= '9'; });
    const bool exists = number ? qualifier.size() < 10 && loadVersion(name, std::stoi(qualifier))
                               : loadAlias(name, qualifier).has_value();
    if (!exists)
        return notFound(name, qualifier);
    return number ? std::to_string(std::stoi(qualifier)) : qualifier;
}

Result<std::string> FunctionStore::addPermission(const std::string &name,
                                                 const std::string &qualifier,
                                                 const PermissionRequest &request)
{
    return detail::guarded("add permission", [&]() -> Result<std::string> {
        if (auto valid = checkRequest(request); !valid)
            return valid.error();
        if (qualifier == "$LATEST")
            return makeError(ErrorCode::InvalidParameter,
                             "We currently do not support adding policies for $LATEST.");
        std::lock_guard lock(m_impl->mutex);
        const auto target = m_impl->policyQualifier(name, qualifier);
        if (!target)
            return target.error();
        const StoredPolicy policy = loadPolicy(m_impl->db, name, *target);
        if (!request.revisionId.empty() && request.revisionId != policy.revisionId)
            return policyRevisionMismatch();
        if (std::any_of(
                policy.statements.begin(), policy.statements.end(),
                [&](const auto &statement) { return statement.first == request.statementId; }))
            return makeError(ErrorCode::Conflict, "The statement id (" + request.statementId +
                                                      ") provided already exists. Please provide a "
                                                      "new statement id, or remove the existing "
                                                      "statement.");
        auto statement = statementJson(request, m_impl->arn(name, *target));
        if (!statement)
            return statement.error();
        const std::string text = statement->dump();
        StoredPolicy grown = policy;
        grown.statements.emplace_back(request.statementId, text);
        if (const std::size_t size = documentOf(grown).size(); size > kMaxPolicyBytes)
            return makeError(ErrorCode::PolicyLengthExceeded,
                             "The final policy size (" + std::to_string(size) +
                                 ") is bigger than the limit (" + std::to_string(kMaxPolicyBytes) +
                                 ").");
        detail::Transaction transaction(m_impl->db);
        m_impl->db
            .prepare(
                "INSERT INTO policy_statements (function_name, qualifier, sid, statement, "
                "position) "
                "VALUES (?, ?, ?, ?, (SELECT COALESCE(MAX(position), 0) + 1 FROM policy_statements "
                "WHERE function_name = ? AND qualifier = ?))")
            .bind(1, name)
            .bind(2, *target)
            .bind(3, request.statementId)
            .bind(4, text)
            .bind(5, name)
            .bind(6, *target)
            .run();
        saveRevision(m_impl->db, name, *target, false);
        transaction.commit();
        return text;
    });
}

Result<void> FunctionStore::removePermission(const std::string &name, const std::string &qualifier,
                                             const std::string &statementId,
                                             const std::string &revisionId)
{
    return detail::guarded("remove permission", [&]() -> Result<void> {
        if (auto sid = checkMember(statementId, "statementId", "([a-zA-Z0-9-_.]+)", 1, 100); !sid)
            return sid;
        std::lock_guard lock(m_impl->mutex);
        const auto target = m_impl->policyQualifier(name, qualifier);
        if (!target)
            return target.error();
        const StoredPolicy policy = loadPolicy(m_impl->db, name, *target);
        if (policy.statements.empty())
            return makeError(ErrorCode::NotFound,
                             "No policy is associated with the given resource.");
        if (!revisionId.empty() && revisionId != policy.revisionId)
            return policyRevisionMismatch();
        if (std::none_of(policy.statements.begin(), policy.statements.end(),
                         [&](const auto &statement) { return statement.first == statementId; }))
            return makeError(ErrorCode::NotFound,
                             "Statement " + statementId + " is not found in resource policy.");
        detail::Transaction transaction(m_impl->db);
        m_impl->db
            .prepare("DELETE FROM policy_statements WHERE function_name = ? AND qualifier = ? AND "
                     "sid = ?")
            .bind(1, name)
            .bind(2, *target)
            .bind(3, statementId)
            .run();
        saveRevision(m_impl->db, name, *target, policy.statements.size() == 1);
        transaction.commit();
        return {};
    });
}

Result<FunctionPolicy> FunctionStore::getPolicy(const std::string &name,
                                                const std::string &qualifier)
{
    return detail::guarded("get policy", [&]() -> Result<FunctionPolicy> {
        std::lock_guard lock(m_impl->mutex);
        const auto target = m_impl->policyQualifier(name, qualifier);
        if (!target)
            return target.error();
        const StoredPolicy policy = loadPolicy(m_impl->db, name, *target);
        if (policy.statements.empty())
            return makeError(ErrorCode::NotFound, "The resource you requested does not exist.");
        return FunctionPolicy{documentOf(policy), policy.revisionId};
    });
}

void FunctionStore::Impl::deletePolicy(const std::string &name, const std::string &qualifier)
{
    for (const char *table : {"policy_statements", "policies"})
        db.prepare(std::string("DELETE FROM ") + table +
                   " WHERE function_name = ? AND qualifier = ?")
            .bind(1, name)
            .bind(2, qualifier)
            .run();
}

} // namespace lambdesk::engine
