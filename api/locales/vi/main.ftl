# Vietnamese.

## Eligibility reasons.

eligibility-not-validated = chương trình yêu cầu tổ chức có xác minh đã được phê duyệt
eligibility-validation-expired = xác minh của tổ chức đã hết hạn: hãy gia hạn
eligibility-country-not-served = chương trình không áp dụng tại quốc gia của tổ chức
eligibility-type-not-eligible = chương trình không dành cho loại hình tổ chức này
eligibility-budget-over = ngân sách hằng năm của tổ chức vượt quá giới hạn của chương trình
eligibility-budget-unknown = chương trình có giới hạn ngân sách: hãy khai báo ngân sách hằng năm của tổ chức
eligibility-budget-other-currency = ngân sách của tổ chức tính bằng loại tiền tệ khác với giới hạn của chương trình
eligibility-cap-reached = tổ chức đã nhận mức tối đa mà chương trình này cấp cho mỗi kỳ (còn lại { $remaining } đơn vị)
eligibility-cap-reached-resets = tổ chức đã nhận mức tối đa mà chương trình này cấp cho mỗi kỳ (còn lại { $remaining } đơn vị); sẽ có lại đơn vị vào { $resets }
eligibility-out-of-stock = chương trình đã hết hàng
eligibility-program-inactive = chương trình hiện không nhận yêu cầu

## Thiếu hụt khi giữ đơn vị.

shortfall-stock = không đủ hàng: còn { $left } đơn vị, yêu cầu { $asked }
shortfall-cap = tổ chức chỉ có thể nhận thêm { $left } đơn vị trong kỳ này, yêu cầu { $asked }
request-over-available = hiện tổ chức chỉ có thể yêu cầu tối đa { $available } đơn vị

## Khóa đào tạo được đề xuất (Organization.recommendedTrainings).

# $challenge (text): the title of the most urgent challenge a session answers; $urgency (number): its urgency; $more (number): how many other challenges it answers.
recommendation-reason = đáp ứng thách thức của bạn “{ $challenge }” (mức khẩn cấp { $urgency }/5){ $more ->
        [0] {""}
       *[other] {" "}và { $more } thách thức khác của bạn
    }
