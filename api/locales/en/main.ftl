# English: the reference. Every message here exists in every other language
# (checked by api/src/i18n's tests); a message missing in a language falls
# back to this file. Messages are fragments: the API puts the stable code
# before them (`NOT_VALIDATED: ...`), so they start in lower case.

## Eligibility reasons (Program.eligibility and NOT_ELIGIBLE user errors).

eligibility-not-validated = the program requires an approved validation
eligibility-validation-expired = the organization's validation has expired: renew it
eligibility-country-not-served = the program is not available in the organization's country
eligibility-type-not-eligible = the program is not for this type of organization
eligibility-budget-over = the organization's annual budget is over the program's limit
eligibility-budget-unknown = the program has a budget limit: declare the organization's annual budget
eligibility-budget-other-currency = the organization's budget is in another currency than the program's limit
# $remaining (number): units left in the period.
eligibility-cap-reached = the organization received the most this program gives per period ({ $remaining ->
        [one] { $remaining } unit left
       *[other] { $remaining } units left
    })
# $remaining (number): units left; $resets (text): when units come free again (UTC).
eligibility-cap-reached-resets = the organization received the most this program gives per period ({ $remaining ->
        [one] { $remaining } unit left
       *[other] { $remaining } units left
    }); units come free again on { $resets }
eligibility-out-of-stock = the program has no stock left
eligibility-program-inactive = the program is not taking requests

## Shortfalls when units are reserved (NOT_ELIGIBLE and OUT_OF_RANGE user errors of requests and approvals).

# $left (number): units left; $asked (number): units asked.
shortfall-stock = not enough stock: { $left ->
        [one] { $left } unit left
       *[other] { $left } units left
    }, { $asked } asked
# $left (number): units the organization may still receive; $asked (number): units asked.
shortfall-cap = the organization may receive { $left ->
        [one] { $left } more unit
       *[other] { $left } more units
    } in this period, { $asked } asked
# $available (number): units the organization may request now.
request-over-available = at most { $available ->
        [one] { $available } unit is
       *[other] { $available } units are
    } available to the organization now

## Training recommendations (Organization.recommendedTrainings).

# $challenge (text): the title of the most urgent challenge a session answers; $urgency (number): its urgency; $more (number): how many other challenges it answers.
recommendation-reason = answers your challenge “{ $challenge }” (urgency { $urgency } of 5){ $more ->
        [0] {""}
        [one] {" "}and one more of your challenges
       *[other] {" "}and { $more } more of your challenges
    }
