# Thai.

## Eligibility reasons.

eligibility-not-validated = โครงการนี้กำหนดให้องค์กรต้องผ่านการตรวจสอบรับรองที่ได้รับอนุมัติแล้ว
eligibility-validation-expired = การตรวจสอบรับรองขององค์กรหมดอายุแล้ว: โปรดต่ออายุ
eligibility-country-not-served = โครงการนี้ไม่เปิดให้บริการในประเทศขององค์กร
eligibility-type-not-eligible = โครงการนี้ไม่ได้มีไว้สำหรับองค์กรประเภทนี้
eligibility-budget-over = งบประมาณประจำปีขององค์กรเกินวงเงินที่โครงการกำหนด
eligibility-budget-unknown = โครงการนี้จำกัดงบประมาณ: โปรดแจ้งงบประมาณประจำปีขององค์กร
eligibility-budget-other-currency = งบประมาณขององค์กรเป็นสกุลเงินที่ต่างจากวงเงินของโครงการ
eligibility-cap-reached = องค์กรได้รับครบจำนวนสูงสุดที่โครงการนี้ให้ต่อรอบแล้ว (เหลือ { $remaining } หน่วย)
eligibility-cap-reached-resets = องค์กรได้รับครบจำนวนสูงสุดที่โครงการนี้ให้ต่อรอบแล้ว (เหลือ { $remaining } หน่วย); จะขอรับได้อีกครั้งเมื่อ { $resets }
eligibility-out-of-stock = ของในโครงการนี้หมดแล้ว
eligibility-program-inactive = โครงการนี้ไม่ได้เปิดรับคำขอในขณะนี้

## หน่วยไม่พอเมื่อจอง

shortfall-stock = สต็อกไม่พอ: เหลือ { $left } หน่วย แต่ขอ { $asked } หน่วย
shortfall-cap = องค์กรรับได้อีก { $left } หน่วยในช่วงเวลานี้ แต่ขอ { $asked } หน่วย
request-over-available = ขณะนี้องค์กรขอได้ไม่เกิน { $available } หน่วย

## การอบรมที่แนะนำ (Organization.recommendedTrainings).

# $challenge (text): the title of the most urgent challenge a session answers; $urgency (number): its urgency; $more (number): how many other challenges it answers.
recommendation-reason = ตอบโจทย์ความท้าทายของคุณ “{ $challenge }” (ความเร่งด่วน { $urgency } จาก 5){ $more ->
        [0] {""}
       *[other] {" "}และความท้าทายอื่นอีก { $more } ข้อ
    }
