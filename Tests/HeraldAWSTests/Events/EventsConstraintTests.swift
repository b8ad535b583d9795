// The model's constraints as the wire checks them, and AWS's wording of each violation.
import Testing

@testable import HeraldAWS

@Suite struct EventsConstraintTests {
    @Test func ruleNameAcceptsLettersDigitsDotsDashesAndUnderscores() {
        #expect(ModelString.ruleName.violation("orders.created-v2_x") == nil)
    }

    @Test func ruleNameWithASpaceBreaksThePattern() {
        #expect(
            ModelString.ruleName.violation("my rule")
                == #"Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"#)
    }

    @Test func ruleNameLongerThan64CharactersBreaksTheMaximumLength() {
        #expect(
            ModelString.ruleName.violation(String(repeating: "a", count: 65))
                == "Member must have length less than or equal to 64")
        #expect(ModelString.ruleName.violation(String(repeating: "a", count: 64)) == nil)
    }

    @Test func emptyRuleNameBreaksTheMinimumLength() {
        #expect(ModelString.ruleName.violation("") == "Member must have length greater than or equal to 1")
    }

    @Test func busNamesMayContainSlashesButRuleNamesMayNot() {
        #expect(ModelString.eventBusName.violation("aws.partner/acme/orders") == nil)
        #expect(ModelString.ruleName.violation("a/b") != nil)
    }

    @Test func busNameOrArnAcceptsANameOrAnEventBusArn() {
        #expect(ModelString.eventBusNameOrArn.violation("orders") == nil)
        #expect(
            ModelString.eventBusNameOrArn.violation("arn:aws:events:us-east-1:123456789012:event-bus/orders") == nil)
        #expect(ModelString.eventBusNameOrArn.violation("arn:aws:sqs:us-east-1:123456789012:queue") != nil)
    }

    @Test func enumMembersListTheAllowedValues() {
        #expect(
            ModelString.ruleState.violation("ON")
                == "Member must satisfy enum value set: [ENABLED, DISABLED, "
                + "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS]")
        #expect(ModelString.ruleState.violation("DISABLED") == nil)
    }

    @Test func lengthsCountUTF16CodeUnitsAsJavaDoes() {
        // One emoji is two UTF-16 code units: 256 of them fill the 512 a description may have.
        #expect(ModelString.ruleDescription.violation(String(repeating: "😀", count: 256)) == nil)
        #expect(ModelString.ruleDescription.violation(String(repeating: "😀", count: 257)) != nil)
    }

    @Test func httpHeaderPatternsRejectControlCharacters() {
        #expect(ModelString.headerKey.violation("X-Api-Key") == nil)
        #expect(ModelString.headerKey.violation("X Api") != nil)
        #expect(ModelString.headerValue.violation("Bearer abc") == nil)
        #expect(ModelString.headerValue.violation("a\u{1}b") != nil)
    }

    @Test func pathParametersMustNotBeBlank() {
        #expect(ModelString.pathParameter.violation("id-1") == nil)
        #expect(ModelString.pathParameter.violation("   ") != nil)
    }

    @Test func integerRangesAndListSizesHaveTheirOwnWording() {
        #expect(ModelRange.limitMax100.valueViolation(0) == "Member must have value greater than or equal to 1")
        #expect(ModelRange.limitMax100.valueViolation(101) == "Member must have value less than or equal to 100")
        #expect(ModelRange.limitMax100.valueViolation(100) == nil)
        #expect(
            ModelRange.putEventsRequestEntryList.lengthViolation(11)
                == "Member must have length less than or equal to 10")
        #expect(
            ModelRange.putEventsRequestEntryList.lengthViolation(0)
                == "Member must have length greater than or equal to 1")
    }

    @Test func violationIsAValidationExceptionNamingValueMemberAndConstraint() throws {
        let input = try EventsTest.members(#"{"Name":"my rule"}"#)
        let error = EventsTest.thrown { _ = try input.requiredString("Name", .ruleName) }
        #expect(error?.type == "ValidationException")
        #expect(
            error?.message
                == "1 validation error detected: Value 'my rule' at 'name' failed to satisfy constraint: "
                + #"Member must satisfy regular expression pattern: [\.\-_A-Za-z0-9]+"#)
    }

    @Test func missingRequiredMemberIsValueNullMustNotBeNull() throws {
        let input = try EventsTest.members("{}")
        let error = EventsTest.thrown { _ = try input.requiredString("Name", .ruleName) }
        #expect(error?.type == "ValidationException")
        #expect(
            error?.message
                == "1 validation error detected: Value null at 'name' failed to satisfy constraint: "
                + "Member must not be null")
    }

    @Test func nestedMembersAreNamedByTheirPathWithOneBasedIndexes() throws {
        let input = try EventsTest.members(#"{"Targets":[{"Id":"ok","Arn":"a"},{"Id":"bad id","Arn":"a"}]}"#)
        let error = EventsTest.thrown {
            for target in try input.requiredStructures("Targets", .targetList) {
                _ = try target.requiredString("Id", .targetId)
            }
        }
        #expect(error?.message.contains("at 'targets.2.member.id'") == true)
    }

    @Test func limitOutsideOneToHundredIsRejected() throws {
        let input = try EventsTest.members(#"{"Limit":0}"#)
        let error = EventsTest.thrown { _ = try input.integer("Limit", .limitMax100) }
        #expect(
            error?.message
                == "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1")
    }
}
